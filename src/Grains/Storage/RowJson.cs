using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gstd.Grains.Storage;

/// <summary>How the JSON columns of our own tables (task and dispute bodies) are written: camelCase, enums by name.</summary>
public static class RowJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
