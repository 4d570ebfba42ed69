using System.Text.Encodings.Web;
using System.Text.Json;
using Gstd.Gateway.Realtime;
using Gstd.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>The wire form of an event: the envelope's id, kind and time, then the payload's fields.</summary>
public sealed class EventFramesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Theory]
    [InlineData("""{"taskId": "t1", "delta": "0.5", "attempt": {"id": 3}}""", """{"id":"42","kind":"task.queued","at":"2026-11-26T12:00:00+00:00","taskId":"t1","delta":"0.5","attempt":{"id":3}}""")]
    [InlineData("{}", """{"id":"42","kind":"task.queued","at":"2026-11-26T12:00:00+00:00"}""")]
    [InlineData("""{"id": "spoofed", "kind": "x", "taskId": "t1"}""", """{"id":"42","kind":"task.queued","at":"2026-11-26T12:00:00+00:00","taskId":"t1"}""")]
    public void The_event_carries_the_envelope_first_and_the_payload_fields_without_a_second_id_or_kind(string payload, string expected)
    {
        var frames = new EventFrames("ep1", new TopicEvent(42, "task.queued", At, payload, 7));

        var frame = JsonDocument.Parse(frames.For("task:t1")).RootElement;

        Assert.Equal(("event", "task:t1", "ep1", 7L), (frame.GetProperty("type").GetString(), frame.GetProperty("topic").GetString(),
            frame.GetProperty("epoch").GetString(), frame.GetProperty("offset").GetInt64()));
        var normalized = JsonSerializer.Serialize(frame.GetProperty("event"), Readable);
        Assert.Equal(expected, normalized);
        Assert.Equal(payload.Contains("t1") ? "t1" : null, frames.TaskId);
    }

    [Fact]
    public void Every_topic_name_wraps_the_same_event_and_a_frame_is_not_rebuilt()
    {
        var frames = new EventFrames("ep1", new TopicEvent(42, "task.queued", At, """{"taskId": "t1", "note": "caf\u00e9 {}"}""", 7));

        var first = frames.For("account");
        var second = frames.For("task:t1");

        Assert.True(first.Equals(frames.For("account")));
        var events = new[] { first, second }.Select(f => JsonDocument.Parse(f).RootElement).ToList();
        Assert.Equal(["account", "task:t1"], events.Select(e => e.GetProperty("topic").GetString()));
        Assert.Equal(events[0].GetProperty("event").GetRawText(), events[1].GetProperty("event").GetRawText());
        Assert.Equal("café {}", events[1].GetProperty("event").GetProperty("note").GetString());
        Assert.InRange(frames.Size, first.Length - 32, first.Length + 32);
    }
}
