using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Balancing;

/// <summary>The silos holding a pool or a busy worker die: no task is stuck and no worker goes over capacity.</summary>
[Collection(FailoverCollection.Name)]
public sealed class BalancerFailoverTests(ClusterFixture fixture)
{
    private const long Gstd = Market.Gstd;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Every_task_completes_when_the_silo_holding_the_pool_is_killed_while_tasks_flow()
    {
        var market = new Market(fixture.Cluster);
        var (client, moduleId, inputId) = await market.ClientAsync(100 * Gstd);
        var agents = new List<FakeAgent>();
        for (var i = 0; i < 3; i++)
        {
            var agent = await market.AgentAsync(capacity: 2);
            agent.StartWorking(Grains, "done"u8.ToArray());
            agents.Add(agent);
        }

        var spec = TaskSpec.Default with { ReviewSeconds = 0 };
        var ids = new List<string>();
        for (var i = 0; i < 15; i++)
        {
            ids.Add((await market.SubmitAsync(client, moduleId, inputId, Gstd, spec)).Id);
        }

        var pool = Grains.GetGrain<IWorkerPoolGrain>(IWorkerPoolGrain.Wasm);
        var killed = await KillSiloOfAsync(pool);
        for (var i = 0; i < 15; i++)
        {
            ids.Add((await SubmitRidingOutAsync(market, client, moduleId, inputId, spec)).Id);
        }

        foreach (var id in ids)
        {
            await Eventually.Until(async () => await StatusQuietlyAsync(market, client, id) == TaskState.Settled, Patience, $"task {id} to settle");
        }

        Assert.Equal(0, (await Grains.GetGrain<Gstd.Accounts.IAccountGrain>(client).Get())!.Balance.Escrow);
        Assert.Equal(0, (await pool.GetStats()).WaitingTasks);
        Assert.NotEqual(killed, await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(pool));
        await market.CleanUpAsync();
    }

    [Fact]
    public async Task A_busy_workers_leases_are_rebuilt_when_its_silo_is_killed_and_its_capacity_is_never_exceeded()
    {
        var market = new Market(fixture.Cluster);
        var (client, moduleId, inputId) = await market.ClientAsync(100 * Gstd);
        var agent = await market.AgentAsync(capacity: 2);
        var spec = TaskSpec.Default with { ReviewSeconds = 0 };
        var running = new List<TaskOffer>();
        for (var i = 0; i < 2; i++)
        {
            var task = await market.SubmitAsync(client, moduleId, inputId, Gstd, spec);
            var offer = await agent.NextOfferAsync(task.Id);
            Assert.True((await Grains.GetGrain<ITaskGrain>(task.Id).AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
            running.Add(offer);
        }

        using var watch = new CancellationTokenSource();
        var overCapacity = WatchCapacityAsync(agent.WorkerId, 2, watch.Token);
        var progress = ReportProgressAsync(agent, running, watch.Token);
        await KillSiloOfAsync(Grains.GetGrain<IWorkerGrain>(agent.WorkerId));

        // The fresh activation knows both leases from the tasks table, and the agent's heartbeat rebinds it.
        await Eventually.Until(async () => await WorkerQuietlyAsync(agent) is { Activity: { Online: true, ActiveLeases: 2 } },
            Patience, "the worker to be back online with its two leases");
        var third = await SubmitRidingOutAsync(market, client, moduleId, inputId, spec);
        Assert.Equal(TaskState.Queued, third.Status);

        // One lease ends: the waiting task takes its slot, and the worker is at capacity again, not over it.
        var done = running[0];
        await Eventually.Until(() => Market.RideOutAsync(async () =>
        {
            var view = (await Grains.GetGrain<ITaskGrain>(done.TaskId).Get(client, false))!;
            if (view.Status is TaskState.Running or TaskState.Assigned)
            {
                var lease = view.Attempts[^1].Lease;
                var grain = Grains.GetGrain<ITaskGrain>(done.TaskId);
                await grain.AcceptOffer(agent.WorkerId, lease);
                await grain.Complete(agent.Result(done with { Lease = lease }, "done"u8.ToArray()));
            }

            return view.Status == TaskState.Settled;
        }), settled => settled, Patience, $"task {done.TaskId} to settle");

        Assert.Equal(third.Id, (await agent.NextOfferAsync(third.Id)).TaskId);
        await watch.CancelAsync();
        await progress;
        Assert.Equal(0, await overCapacity);
        await market.CleanUpAsync();
    }

    /// <summary>Kills the silo where the grain is active and starts a replacement, so the cluster keeps its size.</summary>
    private async Task<SiloAddress> KillSiloOfAsync(IAddressable grain)
    {
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException("The grain is not active anywhere.");
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.GetSiloForAddress(address)!);
        await fixture.Cluster.StartAdditionalSiloAsync();
        return address;
    }

    /// <summary>Counts, until cancelled, how often the database shows the worker holding more leases than its capacity.</summary>
    private async Task<int> WatchCapacityAsync(string workerId, int capacity, CancellationToken ct)
    {
        var violations = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var count = fixture.Database.DataSource.CreateCommand(
                "SELECT count(*) FROM tasks WHERE worker_id = @w AND status IN ('Assigned', 'Running')");
            count.Parameters.AddWithValue("w", workerId);
            if ((long)(await count.ExecuteScalarAsync(CancellationToken.None))! > capacity)
            {
                violations++;
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return violations;
    }

    /// <summary>The agent's beats on its running leases, so none lapses while the test waits for something else.</summary>
    private async Task ReportProgressAsync(FakeAgent agent, IReadOnlyList<TaskOffer> leases, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            foreach (var lease in leases)
            {
                // When the task's silo is the one that died, the next round reaches its new activation.
                await Market.RideOutAsync(() => Grains.GetGrain<ITaskGrain>(lease.TaskId).Progress(agent.WorkerId, lease.Lease));
            }

            await Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<TaskView> SubmitRidingOutAsync(Market market, string client, string moduleId, string inputId, TaskSpec spec)
    {
        while (true)
        {
            try
            {
                return await market.SubmitAsync(client, moduleId, inputId, Gstd, spec);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // The silo died under the submission; an Idempotency-Key would make this retry safe, a new task is too.
            }
        }
    }

    private static Task<TaskState?> StatusQuietlyAsync(Market market, string client, string id) =>
        Market.RideOutAsync<TaskState?>(async () => await market.StatusAsync(client, id));

    private Task<WorkerView?> WorkerQuietlyAsync(FakeAgent agent) =>
        Market.RideOutAsync(() => Grains.GetGrain<IWorkerGrain>(agent.WorkerId).Get(agent.AccountId, false));
}
