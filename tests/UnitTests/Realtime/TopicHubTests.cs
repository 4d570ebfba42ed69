using Gstd.Gateway.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gstd.UnitTests.Realtime;

/// <summary>The silo's shared topics: followed while sockets hold them and for a while after, so that returning sockets catch up here.</summary>
public sealed class TopicHubTests
{
    [Fact]
    public async Task A_topic_no_socket_holds_is_followed_for_the_linger_and_a_socket_back_within_it_catches_up_without_reading_history()
    {
        var source = new FakeTopicSource();
        var time = new FakeTimeProvider();
        var hub = new TopicHub(source, time, NullLogger<TopicHub>.Instance);
        var topic = hub.Hold("account:a");
        var first = new TopicListener(new RecordingSink(), "account", null);
        await topic.AttachAsync(first, "1", null, null);
        await topic.TakeAsync(source.Epoch, source.Append(3, _ => null));
        await hub.ReleaseAsync(topic, first);

        // Events go on arriving while nobody holds the topic.
        await topic.TakeAsync(source.Epoch, source.Append(2, _ => null));
        time.Advance(TopicHub.Linger - TimeSpan.FromSeconds(1));
        await hub.LetGoOfIdleAsync();
        Assert.Equal((0, 1), (hub.HoldersOf("account:a"), source.Following));

        var back = hub.Hold("account:a");
        var sink = new RecordingSink();
        var returning = new TopicListener(sink, "account", null);
        await back.AttachAsync(returning, "2", source.Epoch, 1);

        Assert.Same(topic, back);
        Assert.Equal(0, source.Replays);
        Assert.Equal(["subscribed 5 True", "event 2 False", "event 3 False", "event 4 False", "event 5 False"], sink.Frames.Select(f => $"{f.Type} {f.Offset} {f.Recovered}"));

        // Held again, the linger starts over when it is let go; past it the stream subscription ends.
        time.Advance(TopicHub.Linger);
        await hub.LetGoOfIdleAsync();
        Assert.Equal(1, source.Following);
        await hub.ReleaseAsync(back, returning);
        time.Advance(TopicHub.Linger);
        await hub.LetGoOfIdleAsync();
        Assert.Equal(0, source.Following);
        Assert.NotSame(topic, hub.Hold("account:a"));
    }
}
