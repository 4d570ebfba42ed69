using Gstd.Accounts;
using Gstd.Content;
using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Tasks;

/// <summary>Silos die while tasks run, back off or wait for their review to end: every task still ends once, with exact money.</summary>
[Collection(FailoverCollection.Name)]
public sealed class SiloFailureTests(ClusterFixture fixture)
{
    private const long Gstd = 1_000_000_000;

    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Tasks_running_or_in_review_when_a_silo_dies_end_once_with_exact_money()
    {
        var market = new Market(fixture.Cluster);
        var (client, moduleId, inputId) = await market.ClientAsync(100 * Gstd);
        var agent = await market.AgentAsync(capacity: 16);

        // Twelve tasks: half will be running and half completed, waiting for a short review, when a silo dies.
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var spec = TaskSpec.Default with { ReviewSeconds = i % 2 == 0 ? 600 : 3 };
            ids.Add((await Grains.GetGrain<ITaskGrain>(TaskIds.New()).Submit(new SubmitTask(client, moduleId, inputId, Gstd, spec, [1]))).Task!.Id);
        }

        var offers = new Dictionary<string, TaskOffer>();
        for (var i = 0; i < ids.Count; i++)
        {
            var offer = await agent.NextOfferAsync(ids[i]);
            offers[ids[i]] = offer;
            var grain = Grains.GetGrain<ITaskGrain>(ids[i]);
            Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
            if (i % 2 == 1)
            {
                Assert.True((await grain.Complete(agent.Result(offer, "done"u8.ToArray()))).Accepted);
            }
        }

        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[^1]);
        await fixture.Cluster.StartAdditionalSiloAsync();
        await agent.ConnectAsync();

        // The running half: report results for whatever lease each task now holds (its old one, or a new offer).
        foreach (var id in ids.Where((_, i) => i % 2 == 0))
        {
            await Eventually.Until(() => Market.RideOutAsync(async () =>
            {
                var view = (await Grains.GetGrain<ITaskGrain>(id).Get(client, false))!;
                if (view.Status == TaskState.Completed)
                {
                    return true;
                }

                var lease = view.Attempts[^1].Lease;
                var grain = Grains.GetGrain<ITaskGrain>(id);
                if (view.Status == TaskState.Assigned)
                {
                    await grain.AcceptOffer(agent.WorkerId, lease);
                }

                if (view.Status is TaskState.Running or TaskState.Assigned)
                {
                    await grain.Complete(agent.Result(offers[id] with { Lease = lease }, "done"u8.ToArray()));
                }

                return false;
            }), done => done, TimeSpan.FromSeconds(60), $"task {id} to complete after the silo died");
        }

        // Settle the running half while another silo dies under the settlements.
        var running = ids.Where((_, i) => i % 2 == 0).ToList();
        var accepts = running.Select(id => AcceptQuietlyAsync(id, client)).ToList();
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[0]);
        await Task.WhenAll(accepts);
        await fixture.Cluster.StartAdditionalSiloAsync();
        foreach (var id in running)
        {
            await Eventually.Until(async () => await AcceptQuietlyAsync(id, client) == TaskState.Settled, TimeSpan.FromSeconds(60), $"task {id} to settle");
        }

        // The reviewed half settles by itself once the review window ends, with sweepers on the surviving silos.
        foreach (var id in ids.Where((_, i) => i % 2 == 1))
        {
            await Eventually.Until(() => Market.RideOutAsync(async () => (await Grains.GetGrain<ITaskGrain>(id).Get(client, false))!.Status),
                status => status == TaskState.Settled, TimeSpan.FromSeconds(60), $"task {id} to settle after its review");
        }

        Assert.Equal(100 * Gstd - (12 * (Gstd + 50_000_000)), (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Available);
        Assert.Equal(0, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Escrow);
        Assert.Equal(12 * Gstd, (await Grains.GetGrain<IAccountGrain>(agent.AccountId).Get())!.Balance.Available);
        await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT COALESCE(sum(amount), 0)::bigint FROM ledger_entries");
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        await market.CleanUpAsync();
    }

    [Fact]
    public async Task Tasks_waiting_out_a_backoff_when_a_silo_dies_run_again_and_settle_once()
    {
        var market = new Market(fixture.Cluster);
        // A silo killed by the test before may still be one the test client tries once.
        var (client, moduleId, inputId) = await Eventually.Until(() => Market.RideOutAsync(() => market.ClientAsync(100 * Gstd)),
            c => c.Client is not null, TimeSpan.FromSeconds(30), "the cluster to answer");
        var agents = new[] { await market.AgentAsync(capacity: 16), await market.AgentAsync(capacity: 16) };

        // Eight tasks fail their first attempt and wait out a 1-second backoff (a reminder each)...
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var id = (await Grains.GetGrain<ITaskGrain>(TaskIds.New()).Submit(new SubmitTask(client, moduleId, inputId, Gstd, TaskSpec.Default with { ReviewSeconds = 0 }, [1]))).Task!.Id;
            var (worker, offer) = await Market.NextOfferForAsync(id, agents);
            var grain = Grains.GetGrain<ITaskGrain>(id);
            Assert.True((await grain.AcceptOffer(worker, offer.Lease)).Accepted);
            Assert.True((await grain.Fail(worker, offer.Lease, new TaskReason("trap", "unreachable executed"))).Accepted);
            Assert.Equal(TaskState.RetryWaiting, (await grain.Get(client, false))!.Status);
            ids.Add(id);
        }

        // ...when a silo dies with the reminders and activations it held.
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[^1]);
        await fixture.Cluster.StartAdditionalSiloAsync();
        foreach (var agent in agents)
        {
            await agent.ConnectAsync();
            agent.StartWorking(Grains, "done"u8.ToArray());
        }

        foreach (var id in ids)
        {
            var view = await Eventually.Until(() => Market.RideOutAsync(() => Grains.GetGrain<ITaskGrain>(id).Get(client, false)),
                v => v?.Status == TaskState.Settled, TimeSpan.FromSeconds(60), $"task {id} to run again and settle");
            Assert.Equal(AttemptOutcome.Failed, view!.Attempts[0].Outcome);
            Assert.Equal(1, view.Attempts.Count(a => a.Outcome == AttemptOutcome.Succeeded));
        }

        Assert.Equal(100 * Gstd - (8 * (Gstd + 50_000_000)), (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Available);
        var earned = 0L;
        foreach (var agent in agents)
        {
            earned += (await Grains.GetGrain<IAccountGrain>(agent.AccountId).Get())!.Balance.Available;
        }

        Assert.Equal(8 * Gstd, earned);
        await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT COALESCE(sum(amount), 0)::bigint FROM ledger_entries");
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        await market.CleanUpAsync();
    }

    /// <summary>Accepts, tolerating a silo that dies mid-call; answers the task's state afterwards, if reachable.</summary>
    private Task<TaskState?> AcceptQuietlyAsync(string id, string client) =>
        Market.RideOutAsync<TaskState?>(async () => (await Grains.GetGrain<ITaskGrain>(id).Accept(client)).Task?.Status);
}
