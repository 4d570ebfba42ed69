using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.Testing;

namespace Gstd.StorageTests.Realtime;

/// <summary>The silo holding the outbox relay stops: events keep reaching their topics within seconds, not at the relay's next reminder.</summary>
[Collection(FailoverCollection.Name)]
public sealed class OutboxRelayFailoverTests(ClusterFixture fixture)
{
    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Events_reach_their_topic_within_seconds_after_the_silo_holding_the_relay_stops()
    {
        var relay = Grains.GetGrain<IOutboxRelayGrain>(0);
        await relay.Start();
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(relay)
            ?? throw new InvalidOperationException("The relay is not active anywhere.");
        await fixture.Cluster.StopSiloAsync(fixture.Cluster.GetSiloForAddress(address)!);
        try
        {
            await AppendAndAwaitAsync();
        }
        finally
        {
            // Only after the check: a starting silo would start the relay itself.
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    private async Task AppendAndAwaitAsync()
    {

        var topic = "test:" + Guid.NewGuid().ToString("N");
        await using (var connection = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Outbox.AppendAsync(tx, topic, "test.relayed", "test", 1, new { }, DateTimeOffset.UtcNow, CancellationToken.None);
            await tx.CommitAsync();
        }

        // The relay's reminder ticks once a minute; the silos' keepers bring it back far sooner.
        await Eventually.Until(HeadAsync, head => head == 1, TimeSpan.FromSeconds(10), "the event to reach its topic");

        async Task<long> HeadAsync()
        {
            await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT COALESCE((SELECT head FROM topics WHERE topic = @topic), 0)");
            cmd.Parameters.AddWithValue("topic", topic);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
    }
}
