using Gstd.Testing;

namespace Gstd.StorageTests.Realtime;

/// <summary>The silo reading a topic's partition is killed: another silo takes the partition over and the subscriber's events go on without a gap.</summary>
[Collection(FailoverCollection.Name)]
public sealed class TopicStreamFailoverTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Events_committed_after_the_reader_of_their_partition_died_reach_the_subscriber_in_order()
    {
        var cluster = fixture.Cluster;
        var subscriber = cluster.Silos[0];
        // The first silo keeps the test cluster's membership: the topic is one whose partition another silo reads.
        TopicStreamProbe probe;
        do
        {
            probe = TopicStreamProbe.NewTopic(cluster, fixture.Database);
        }
        while (await probe.OwnerAsync() == subscriber);

        await using (probe)
        {
            var owner = await probe.OwnerAsync();
            await probe.SubscribeAsync(subscriber);
            await probe.AppendAsync(1, 2);
            Assert.Equal([1L, 2], (await probe.NextAsync(2, TimeSpan.FromSeconds(30))).Select(e => e.Event.Offset));

            await cluster.KillSiloAsync(owner);
            try
            {
                await probe.AppendAsync(3, 4);
                await probe.AppendAsync(5, 5);

                // Within the membership's verdict on the dead silo, not the partition lease's thirty seconds.
                var after = await probe.NextAsync(3, TimeSpan.FromSeconds(60));
                Assert.Equal([3L, 4, 5], after.Select(e => e.Event.Offset));
                Assert.NotEqual(owner, await probe.OwnerAsync());
            }
            finally
            {
                await cluster.StartAdditionalSiloAsync();
            }
        }
    }
}
