using System.Buffers;
using System.Text;
using System.Text.Json;
using Gstd.Realtime;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// A bound agent's subscription to its worker's stream: what the worker grain addresses to the agent there (offers,
/// leases, revocations — events that are not history) goes to the socket as <c>event</c> frames on
/// <c>worker:{id}</c>; the worker's history events reach the agent through an ordinary subscription to that topic.
/// The feed follows the stream before the hello is checked, so nothing the grain sends while connecting is missed,
/// and holds what arrives until <see cref="Open"/>: a refused hello sends nothing.
/// </summary>
public sealed class AgentFeed : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IFrameSink _sink;
    private readonly string _topic;
    private List<ReadOnlyMemory<byte>>? _held = [];
    private IAsyncDisposable? _following;

    private AgentFeed(IFrameSink sink, string topic) => (_sink, _topic) = (sink, topic);

    public static async Task<AgentFeed> FollowAsync(ITopicSource source, string workerId, IFrameSink sink)
    {
        var feed = new AgentFeed(sink, "worker:" + workerId);
        feed._following = await source.FollowAsync(feed._topic, null, feed.TakeAsync);
        return feed;
    }

    /// <summary>The hello was accepted: sends what was held back, then everything as it arrives.</summary>
    public void Open()
    {
        lock (_gate)
        {
            foreach (var frame in _held ?? [])
            {
                _sink.Send(frame);
            }

            _held = null;
        }
    }

    private Task TakeAsync(string epoch, IReadOnlyList<TopicEvent> events)
    {
        foreach (var e in events.Where(e => !e.IsHistory))
        {
            var frame = Frame(e);
            lock (_gate)
            {
                if (_held is not null)
                {
                    _held.Add(frame);
                }
                else
                {
                    _sink.Send(frame);
                }
            }
        }

        return Task.CompletedTask;
    }

    private ReadOnlyMemory<byte> Frame(TopicEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(e.PayloadJson.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "event");
            writer.WriteString("topic", _topic);
            writer.WritePropertyName("event");
            writer.WriteRawValue(Encoding.UTF8.GetBytes(e.PayloadJson), skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public async ValueTask DisposeAsync()
    {
        if (_following is not null)
        {
            await _following.DisposeAsync();
        }
    }
}
