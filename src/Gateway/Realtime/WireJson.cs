using System.Text.Json;

namespace Gstd.Gateway.Realtime;

/// <summary>Frames other than events (replies, pings, resyncs), serialized the way the API spells them.</summary>
public static class WireJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ReadOnlyMemory<byte> Frame(object frame) => JsonSerializer.SerializeToUtf8Bytes(frame, Options);
}
