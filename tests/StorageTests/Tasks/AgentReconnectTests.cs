using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Tasks;

/// <summary>
/// An agent's socket drops and it comes back through another silo: what its worker holds for it — a lease it runs and
/// an offer it has not answered — reaches it on the worker's stream through the new silo, and it finishes both.
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class AgentReconnectTests(ClusterFixture fixture)
{
    private const long Gstd = Market.Gstd;

    [Fact]
    public async Task An_agent_reconnecting_through_another_silo_gets_its_open_offers_on_its_stream_and_finishes_its_leases()
    {
        var market = new Market(fixture.Cluster);
        var (client, moduleId, inputId) = await market.ClientAsync(10 * Gstd);
        var spec = TaskSpec.Default with { ReviewSeconds = 0 };
        var agent = await market.AgentAsync(capacity: 2, gateway: fixture.Cluster.Silos[1]);
        var running = await market.SubmitAsync(client, moduleId, inputId, Gstd, spec);
        var waiting = await market.SubmitAsync(client, moduleId, inputId, Gstd, spec);
        var lease = await agent.NextOfferAsync(running.Id);
        var offer = await agent.NextOfferAsync(waiting.Id);
        Assert.True((await fixture.Cluster.Client.GetGrain<ITaskGrain>(running.Id).AcceptOffer(agent.WorkerId, lease.Lease)).Accepted);
        await agent.DropAsync();
        while (agent.Offers.Reader.TryRead(out _))
        {
        }

        Assert.True(await agent.ConnectAsync(fixture.Cluster.Silos[2]));

        // Both come again through the new silo's subscription, as the worker holds them: the lease accepted, the offer not.
        var again = new Dictionary<string, TaskOffer>();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (again.Count < 2)
            {
                var sent = await agent.Offers.Reader.ReadAsync(timeout.Token);
                again[sent.TaskId] = sent;
            }
        }

        Assert.Equal((lease.Lease, true), (again[running.Id].Lease, again[running.Id].Accepted));
        Assert.Equal((offer.Lease, false), (again[waiting.Id].Lease, again[waiting.Id].Accepted));

        var first = fixture.Cluster.Client.GetGrain<ITaskGrain>(running.Id);
        Assert.True((await first.Complete(agent.Result(again[running.Id], "one"u8.ToArray()))).Accepted);
        var second = fixture.Cluster.Client.GetGrain<ITaskGrain>(waiting.Id);
        Assert.True((await second.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await second.Complete(agent.Result(again[waiting.Id], "two"u8.ToArray()))).Accepted);
        foreach (var id in new[] { running.Id, waiting.Id })
        {
            await Eventually.Until(async () => (await fixture.Cluster.Client.GetGrain<ITaskGrain>(id).Get(client, false))!.Status,
                status => status == TaskState.Settled, TimeSpan.FromSeconds(30), $"task {id} to settle");
        }

        await market.CleanUpAsync();
    }
}
