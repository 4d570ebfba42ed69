using System.Text.Json;
using Gstd.Gateway.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>A socket's frames as a test reads them: raw, and the fields that say where each stands.</summary>
internal sealed class RecordingSink : IFrameSink
{
    public List<ReadOnlyMemory<byte>> Raw { get; } = [];

    public List<(string Type, string? Epoch, long Offset, bool Recovered)> Frames { get; } = [];

    public void Send(ReadOnlyMemory<byte> frame)
    {
        Raw.Add(frame);
        var root = JsonDocument.Parse(frame).RootElement;
        Frames.Add((
            root.GetProperty("type").GetString()!,
            root.TryGetProperty("epoch", out var epoch) ? epoch.GetString() : null,
            root.TryGetProperty("offset", out var offset) ? offset.GetInt64() : -1,
            root.TryGetProperty("recovered", out var recovered) && recovered.GetBoolean()));
    }
}
