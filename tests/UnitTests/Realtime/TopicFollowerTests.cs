using System.Text.Json;
using CsCheck;
using Gstd.Client.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>The client's merge of replayed and live events: exactly once, in order, whatever the network does.</summary>
public sealed class TopicFollowerTests
{
    [Fact]
    public void Every_event_reaches_the_application_once_in_order_through_duplicates_races_and_reconnects()
    {
        // Each op steers the next step of the network: repeat a frame, hold it back one, cut the connection,
        // how many events the server publishes during a connection, and how many of them overtake the replay.
        Gen.Select(Gen.Int[1, 150], Gen.Int[0, 99].Array[0, 400]).Sample((events, ops) =>
        {
            var delivered = Simulate(events, ops);
            Assert.Equal(Enumerable.Range(1, events).Select(o => (long)o), delivered);
        });
    }

    [Fact]
    public void A_topic_that_restarted_is_a_resync_and_following_goes_on_in_the_new_epoch()
    {
        var follower = new TopicFollower("account");
        Assert.False(follower.Subscribed("e1", 0, recovered: true));
        Assert.Single(follower.Received("e1", 1, Event(1)));

        Assert.True(follower.Subscribed("e2", 7, recovered: false));
        Assert.Empty(follower.Received("e1", 2, Event(2)));
        Assert.Equal([8L], follower.Received("e2", 8, Event(8)).Select(e => e.GetProperty("n").GetInt64()));
        Assert.Equal(("e2", 8L), follower.Since);
    }

    [Fact]
    public void A_resync_frame_moves_the_position_and_forgets_early_events()
    {
        var follower = new TopicFollower("account");
        follower.Subscribed("e1", 0, recovered: true);
        Assert.Empty(follower.Received("e1", 3, Event(3)));
        Assert.True(follower.HasGap);

        follower.Resync("e1", 10);

        Assert.False(follower.HasGap);
        Assert.Empty(follower.Received("e1", 4, Event(4)));
        Assert.Single(follower.Received("e1", 11, Event(11)));
    }

    private static JsonElement Event(long n) => JsonSerializer.SerializeToElement(new { n });

    /// <summary>A server publishing <paramref name="events"/> events to one epoch, over connections the ops disturb.</summary>
    private static List<long> Simulate(int events, int[] ops)
    {
        var follower = new TopicFollower("account");
        var delivered = new List<long>();
        var next = 0;
        int Op() => next < ops.Length ? ops[next++] : -1;
        var head = 0L;
        for (var connection = 0; follower.Offset < events; connection++)
        {
            Assert.True(connection < 1000, "the simulation did not converge");
            var since = follower.Since?.Offset ?? head;
            Assert.False(follower.Subscribed("e1", head, recovered: true));
            var replay = Range(since + 1, head);
            var calm = next >= ops.Length;
            var published = calm ? events - head : Math.Min(events - head, Math.Max(0, Op()) % 25);
            var live = Range(head + 1, head + published);
            head += published;
            var overtaking = calm ? 0 : Math.Max(0, Op()) % (live.Count + 1);
            List<long> frames = [.. live[..overtaking], .. replay, .. live[overtaking..]];

            long? held = null;
            foreach (var offset in frames)
            {
                var op = Op();
                if (op is >= 0 and < 8 && held is null)
                {
                    held = offset;
                    continue;
                }

                Deliver(offset);
                if (held is { } late)
                {
                    Deliver(late);
                    held = null;
                }

                if (op is >= 8 and < 16)
                {
                    Deliver(offset);
                }

                if (op is >= 16 and < 22)
                {
                    break;
                }
            }
        }

        return delivered;

        void Deliver(long offset) => delivered.AddRange(follower.Received("e1", offset, Event(offset)).Select(e => e.GetProperty("n").GetInt64()));
    }

    private static List<long> Range(long first, long last) => first > last ? [] : [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(o => (long)o)];
}
