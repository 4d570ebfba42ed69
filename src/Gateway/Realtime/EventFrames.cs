using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gstd.Realtime;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// Turns a sequenced event into its wire form once: the event object (id, kind and time, then the payload's
/// fields as stored) is written a single time, and each distinct client topic name wraps it in an <c>event</c> frame.
/// The event object ends the frame, so once the first frame is built the object is kept only as its slice.
/// </summary>
public sealed class EventFrames
{
    /// <summary>The bytes of an <c>event</c> frame around its event object, topic and epoch aside.</summary>
    private const int Envelope = 64;

    private ReadOnlyMemory<byte> _body;
    private readonly string _epoch;
    private readonly long _offset;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _frames = new(StringComparer.Ordinal);

    public EventFrames(string epoch, TopicEvent e)
    {
        (_epoch, _offset) = (epoch, e.Offset);
        var payload = Encoding.UTF8.GetBytes(e.PayloadJson);
        var (taskId, reserved, empty) = Scan(payload);
        TaskId = taskId;
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", e.Id.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("kind", e.Kind);
            writer.WriteString("at", e.At);
            if (reserved)
            {
                // Rare: the payload names a field of the envelope, which wins; rewrite the payload without it.
                using var document = JsonDocument.Parse(payload);
                foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name is not ("id" or "kind" or "at")))
                {
                    property.WriteTo(writer);
                }
            }

            writer.Flush();
            if (!reserved && !empty)
            {
                // The payload's own properties follow the envelope's as they are: no parse, no rewrite.
                buffer.Write(","u8);
                buffer.Write(payload.AsSpan()[(Array.IndexOf(payload, (byte)'{') + 1)..]);
            }
            else
            {
                buffer.Write("}"u8);
            }
        }

        _body = buffer.WrittenSpan.ToArray();
        Size = _body.Length + Envelope + epoch.Length;
    }

    /// <summary>The payload's <c>taskId</c>, whether it names a field of the envelope, and whether it is empty.</summary>
    private static (string? TaskId, bool Reserved, bool Empty) Scan(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        string? taskId = null;
        var (reserved, empty) = (false, true);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            empty = false;
            reserved |= reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("kind"u8) || reader.ValueTextEquals("at"u8);
            if (reader.ValueTextEquals("taskId"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                taskId = reader.GetString();
            }
        }

        return (taskId, reserved, empty);
    }

    public long Offset => _offset;

    /// <summary>About the memory it holds: its frame for the usual single client topic name, which holds the event.</summary>
    public int Size { get; }

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
                writer.Flush();
                buffer.Write(_body.Span);
            }

            buffer.Write("}"u8);
            frame = buffer.WrittenMemory;
            if (_frames.Count == 0)
            {
                // Other topic names wrap the same object: from now on it is this frame's slice, not a copy of its own.
                _body = frame[^(_body.Length + 1)..^1];
            }

            _frames[clientTopic] = frame;
        }

        return frame;
    }
}
