using Gstd.Realtime;
using Gstd.Testing;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// Topics as Orleans streams on three silos: the outbox partitions are shared out among them, a subscriber on any
/// silo gets every event of its topic in order, and a subscription from a position rewinds the cached stream.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicStreamTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_partitions_are_shared_out_among_all_silos()
    {
        var owners = await Eventually.Until(async () =>
        {
            await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT owner, count(*) FROM stream_leases WHERE expires_at > now() GROUP BY owner");
            await using var reader = await cmd.ExecuteReaderAsync();
            var counts = new Dictionary<string, long>();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }, counts => counts.Count == ClusterFixture.Silos && counts.Values.Sum() == TopicStreams.Partitions, Patience, "every silo to hold partitions");

        // Eight partitions over three silos: two or three each.
        Assert.All(owners.Values, count => Assert.InRange(count, 2, 3));
    }

    [Fact]
    public async Task A_subscriber_on_a_silo_that_does_not_read_the_partition_gets_every_event_in_order()
    {
        await using var probe = TopicStreamProbe.NewTopic(fixture.Cluster, fixture.Database);
        var owner = await probe.OwnerAsync();
        await probe.SubscribeAsync(fixture.Cluster.Silos.First(s => s != owner));

        await probe.AppendAsync(1, 3);
        await probe.AppendAsync(4, 4);
        await probe.AppendAsync(5, 6);

        var events = await probe.NextAsync(6, Patience);
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.Select(e => e.Event.Offset));
        Assert.Equal(Enumerable.Range(1, 6).Select(n => $"test.{n}"), events.Select(e => e.Event.Kind));
        Assert.Single(events.Select(e => e.Token.Epoch).Distinct());
    }

    [Fact]
    public async Task A_subscription_from_a_position_the_cache_still_holds_replays_the_events_after_it()
    {
        await using var live = TopicStreamProbe.NewTopic(fixture.Cluster, fixture.Database);
        var owner = await live.OwnerAsync();
        await live.SubscribeAsync(owner);
        await live.AppendAsync(1, 5);
        var epoch = (await live.NextAsync(5, Patience))[0].Token.Epoch;

        await using var late = new TopicStreamProbe(fixture.Cluster, fixture.Database, live.Topic);
        await late.SubscribeAsync(fixture.Cluster.Silos.First(s => s != owner), TopicToken.After(epoch, 2));
        await live.AppendAsync(6, 6);

        Assert.Equal([3L, 4, 5, 6], (await late.NextAsync(4, Patience)).Select(e => e.Event.Offset));
        Assert.Equal(6L, (await live.NextAsync(1, Patience))[0].Event.Offset);
    }
}
