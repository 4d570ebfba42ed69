using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gstd.Realtime;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// Turns a sequenced event into its wire form once: the event object (payload plus id, kind and time) is
/// written a single time, and each distinct client topic name wraps it in an <c>event</c> frame.
/// </summary>
public sealed class EventFrames
{
    private readonly byte[] _body;
    private readonly string _epoch;
    private readonly long _offset;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _frames = new(StringComparer.Ordinal);

    public EventFrames(string epoch, TopicEvent e)
    {
        (_epoch, _offset) = (epoch, e.Offset);
        using var payload = JsonDocument.Parse(e.PayloadJson);
        TaskId = payload.RootElement.TryGetProperty("taskId", out var task) && task.ValueKind == JsonValueKind.String ? task.GetString() : null;
        var buffer = new ArrayBufferWriter<byte>(e.PayloadJson.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", e.Id.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("kind", e.Kind);
            writer.WriteString("at", e.At);
            foreach (var property in payload.RootElement.EnumerateObject())
            {
                if (property.Name is not ("id" or "kind" or "at"))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        _body = buffer.WrittenSpan.ToArray();
    }

    public long Offset => _offset;

    /// <summary>The task the event is about, for <c>task:{id}</c> subscriptions.</summary>
    public string? TaskId { get; }

    /// <summary>The frame for a client that subscribed under <paramref name="clientTopic"/>.</summary>
    public ReadOnlyMemory<byte> For(string clientTopic)
    {
        if (!_frames.TryGetValue(clientTopic, out var frame))
        {
            var buffer = new ArrayBufferWriter<byte>(_body.Length + 96);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "event");
                writer.WriteString("topic", clientTopic);
                writer.WriteString("epoch", _epoch);
                writer.WriteNumber("offset", _offset);
                writer.WritePropertyName("event");
                writer.WriteRawValue(_body, skipInputValidation: true);
                writer.WriteEndObject();
            }

            frame = buffer.WrittenMemory;
            _frames[clientTopic] = frame;
        }

        return frame;
    }
}
