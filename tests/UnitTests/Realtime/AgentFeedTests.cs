using System.Text.Json;
using Gstd.Gateway.Realtime;
using Gstd.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>An agent's feed of its worker's stream: only what is addressed to the agent, and nothing before its hello is accepted.</summary>
public sealed class AgentFeedTests
{
    private static TopicEvent Offer(long id, string taskId) =>
        new(id, "task.offered", DateTimeOffset.UnixEpoch, $$"""{"id":"{{taskId}}:1:offer","kind":"task.offered","taskId":"{{taskId}}","lease":1}""", 0);

    private static TopicEvent Presence(long offset) => new(offset, "worker.online", DateTimeOffset.UnixEpoch, """{"workerId":"w1"}""", offset);

    [Fact]
    public async Task Offers_wait_for_the_hello_then_go_out_in_order_as_event_frames_and_history_passes_by()
    {
        var source = new FakeTopicSource();
        var sink = new RecordingSink();
        await using var feed = await AgentFeed.FollowAsync(source, "w1", sink);
        await source.Deliver!("e1", [Offer(7, "t1"), Presence(1)]);
        Assert.Empty(sink.Raw);

        feed.Open();
        await source.Deliver("e1", [Offer(8, "t2")]);

        var frames = sink.Raw.Select(f => JsonDocument.Parse(f).RootElement).ToList();
        Assert.Equal(["t1", "t2"], frames.Select(f => f.GetProperty("event").GetProperty("taskId").GetString()));
        Assert.All(frames, f =>
        {
            Assert.Equal("event", f.GetProperty("type").GetString());
            Assert.Equal("worker:w1", f.GetProperty("topic").GetString());
            Assert.Equal("task.offered", f.GetProperty("event").GetProperty("kind").GetString());
            Assert.False(f.TryGetProperty("offset", out _));
        });
    }

    [Fact]
    public async Task A_refused_hello_sends_nothing_and_leaves_no_subscription()
    {
        var source = new FakeTopicSource();
        var sink = new RecordingSink();
        var feed = await AgentFeed.FollowAsync(source, "w1", sink);
        await source.Deliver!("e1", [Offer(7, "t1")]);
        await feed.DisposeAsync();

        Assert.Empty(sink.Raw);
        Assert.Equal(0, source.Following);
    }
}
