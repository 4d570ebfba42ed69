using Gstd.Grains.Trust;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Trust;
using Gstd.Workers;

namespace Gstd.StorageTests.Balancing;

/// <summary>The balancer and trust on the cluster: who gets work, who waits, and what trust does.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BalancingTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = Market.Gstd;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Market _market = new(fixture.Cluster);

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task A_verified_result_raises_the_accounts_trust_and_a_forged_one_lowers_it_with_history_and_events()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId);
        await _market.CompleteAsync(agent, task.Id, "ok"u8.ToArray());

        // Successes are recorded a moment after the transition (ITrustGrain), so the first result is waited for.
        var afterSuccess = await Eventually.Until(() => WorkerAsync(agent), w => w.Trust > TrustModel.Prior, Patience, "the success to raise trust");
        Assert.Equal(TrustEvent.Succeeded, afterSuccess.Activity!.RecentTrust.Single().Event);
        Assert.Equal(task.Id, afterSuccess.Activity.RecentTrust.Single().TaskId);
        Assert.Equal((1, 1, Gstd), (afterSuccess.Activity.Completed, afterSuccess.Activity.Settled, afterSuccess.Activity.Earned));

        var second = await SubmitAsync(client, moduleId, inputId);
        var secondOffer = await agent.NextOfferAsync(second.Id);
        var secondGrain = Grains.GetGrain<ITaskGrain>(second.Id);
        Assert.True((await secondGrain.AcceptOffer(agent.WorkerId, secondOffer.Lease)).Accepted);
        Assert.False((await secondGrain.Complete(agent.Result(secondOffer, "ok"u8.ToArray(), signature: new byte[64]))).Accepted);

        var afterForgery = await WorkerAsync(agent);
        Assert.True(afterForgery.Trust < TrustModel.Prior);
        Assert.Equal([TrustEvent.InvalidResult, TrustEvent.Succeeded], afterForgery.Activity!.RecentTrust.Select(c => c.Event));

        var events = await Eventually.Until(() => TopicProbe.EventsAsync(Grains, "worker:" + agent.WorkerId),
            e => e.Count(x => x.Kind == "worker.trust_changed") == 2, Patience, "two trust events on the worker's topic");
        Assert.Contains("\"event\":\"invalid_result\"", events.Last(x => x.Kind == "worker.trust_changed").PayloadJson.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_success_of_a_burst_is_recorded_once_and_trust_ends_where_the_model_says()
    {
        const int Tasks = 6;
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync();
        for (var i = 0; i < Tasks; i++)
        {
            await _market.CompleteAsync(agent, (await SubmitAsync(client, moduleId, inputId)).Id, "ok"u8.ToArray());
        }

        var worker = await Eventually.Until(() => WorkerAsync(agent), w => w.Activity!.RecentTrust.Count >= Tasks, Patience, "every success to be recorded");
        Assert.Equal(Enumerable.Repeat(TrustEvent.Succeeded, Tasks), worker.Activity!.RecentTrust.Select(c => c.Event));
        Assert.Equal(Tasks, worker.Activity.RecentTrust.Select(c => c.TaskId).Distinct().Count());
        var now = DateTimeOffset.UtcNow;
        var expected = Enumerable.Range(0, Tasks).Aggregate(TrustModel.Initial(now), (standing, _) => TrustModel.Apply(standing, TrustEvent.Succeeded, now));
        Assert.Equal(TrustModel.Score(expected), worker.Trust, tolerance: 1e-4);
    }

    [Fact]
    public async Task Nobody_earns_trust_on_their_own_accounts_tasks()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await AgentAsync(account: client);
        var task = await SubmitAsync(client, moduleId, inputId);
        await _market.CompleteAsync(agent, task.Id, "ok"u8.ToArray());

        var worker = await WorkerAsync(agent);
        Assert.Equal(TrustModel.Prior, worker.Trust);
        Assert.Empty(worker.Activity!.RecentTrust);
    }

    [Fact]
    public async Task A_worker_that_falls_below_the_floor_gets_no_more_work_and_the_next_task_goes_to_another()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var cheat = await AgentAsync(capacity: 8);
        var task = await SubmitAsync(client, moduleId, inputId);
        var offer = await cheat.NextOfferAsync(task.Id);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        Assert.True((await grain.AcceptOffer(cheat.WorkerId, offer.Lease)).Accepted);
        for (var i = 0; i < 2; i++)
        {
            Assert.False((await grain.Complete(cheat.Result(offer, "lie"u8.ToArray(), signature: new byte[64]))).Accepted);
        }

        var fallen = await WorkerAsync(cheat);
        Assert.True(fallen.Trust < TrustModel.Floor, $"trust {fallen.Trust}");

        var honest = await AgentAsync();
        for (var i = 0; i < 3; i++)
        {
            var next = await SubmitAsync(client, moduleId, inputId);
            Assert.Equal(next.Id, (await honest.NextOfferAsync(next.Id)).TaskId);
        }

        Assert.Equal(1, (await WorkerAsync(cheat)).Activity!.ActiveLeases);
    }

    [Fact]
    public async Task A_task_waits_while_every_worker_is_full_and_the_highest_priority_goes_first_when_a_slot_frees()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync(capacity: 1);
        var first = await SubmitAsync(client, moduleId, inputId);
        Assert.Equal(TaskState.Assigned, first.Status);
        var low = await SubmitAsync(client, moduleId, inputId, TaskSpec.Default with { Priority = 0 });
        var high = await SubmitAsync(client, moduleId, inputId, TaskSpec.Default with { Priority = 9 });
        Assert.Equal(TaskState.Queued, low.Status);
        Assert.Equal(TaskState.Queued, high.Status);

        await _market.CompleteAsync(agent, first.Id, "ok"u8.ToArray());

        var next = await agent.NextOfferAsync(high.Id);
        Assert.Equal(high.Id, next.TaskId);
        Assert.Equal(TaskState.Queued, await _market.StatusAsync(client, low.Id));
    }

    [Fact]
    public async Task A_worker_that_raises_its_capacity_takes_a_waiting_task_at_once()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync(capacity: 1);
        var first = await SubmitAsync(client, moduleId, inputId);
        await agent.NextOfferAsync(first.Id);
        var waiting = await SubmitAsync(client, moduleId, inputId);
        Assert.Equal(TaskState.Queued, waiting.Status);

        Assert.Equal(2, (await Grains.GetGrain<IWorkerGrain>(agent.WorkerId).SetCapacity(agent.AccountId, 2))!.Capacity);
        Assert.Equal(waiting.Id, (await agent.NextOfferAsync(waiting.Id)).TaskId);
        Assert.Null(await Grains.GetGrain<IWorkerGrain>(agent.WorkerId).SetCapacity("acc_someone_else", 64));
    }

    [Fact]
    public async Task A_task_needing_more_trust_than_anyone_has_waits_and_goes_to_the_first_worker_that_earns_it()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync(capacity: 2);
        var demanding = await SubmitAsync(client, moduleId, inputId, TaskSpec.Default with { MinTrust = 0.55 });
        Assert.Equal(TaskState.Queued, demanding.Status);

        // Two verified results take a new account from 0.5 to about 0.58.
        for (var i = 0; i < 2; i++)
        {
            await _market.CompleteAsync(agent, (await SubmitAsync(client, moduleId, inputId)).Id, "ok"u8.ToArray());
        }

        await Eventually.Until(() => WorkerAsync(agent), w => w.Trust >= 0.55, Patience, "two successes to raise trust past 0.55");
        Assert.Equal(demanding.Id, (await agent.NextOfferAsync(demanding.Id)).TaskId);
    }

    [Fact]
    public async Task An_assignment_beyond_a_workers_capacity_is_refused_by_the_database_whatever_the_pool_decided()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync(capacity: 1);
        var held = await SubmitAsync(client, moduleId, inputId);
        await agent.NextOfferAsync(held.Id);
        var waiting = await SubmitAsync(client, moduleId, inputId);
        Assert.Equal(TaskState.Queued, waiting.Status);

        // A stale decision names the full worker anyway.
        await Grains.GetGrain<ITaskGrain>(waiting.Id).Assign(agent.WorkerId);
        var view = (await Grains.GetGrain<ITaskGrain>(waiting.Id).Get(client, false))!;
        Assert.Equal(TaskState.Queued, view.Status);
        Assert.Empty(view.Attempts);
        await using var count = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM tasks WHERE worker_id = @w AND status IN ('Assigned', 'Running')");
        count.Parameters.AddWithValue("w", agent.WorkerId);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_worker_whose_gateway_stops_vouching_for_it_goes_offline_and_gets_no_work()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var silent = await AgentAsync();
        silent.StopHeartbeats();
        await Eventually.Until(async () => !(await WorkerAsync(silent)).Activity!.Online, Patience, "the silent worker to go offline");

        var task = await SubmitAsync(client, moduleId, inputId);
        Assert.Equal(TaskState.Queued, task.Status);
        Assert.False(await Grains.GetGrain<IWorkerGrain>(silent.WorkerId).TryReserve(task.Id));
    }

    [Fact]
    public async Task Honest_tasks_are_dispatched_in_order_while_hundreds_that_nobody_can_take_wait_beside_them()
    {
        var (flooder, floodModule, floodInput) = await _market.ClientAsync(1_000 * Gstd);
        // Tasks asking for full trust, which no worker has: they wait in the pool beside everything else.
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, _) =>
            await SubmitAsync(flooder, floodModule, floodInput, TaskSpec.Default with { MinTrust = 1.0 }));
        var (client, moduleId, inputId) = await _market.ClientAsync(20 * Gstd);
        var agent = await AgentAsync(capacity: 1);
        var honest = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            honest.Add((await SubmitAsync(client, moduleId, inputId)).Id);
        }

        // One slot: each honest task is handed out from the waiting order as the one before it completes.
        foreach (var id in honest)
        {
            await _market.CompleteAsync(agent, id, "ok"u8.ToArray()).WaitAsync(Patience);
        }

        var stats = await Grains.GetGrain<IWorkerPoolGrain>(IWorkerPoolGrain.Wasm).GetStats();
        Assert.True(stats.WaitingTasks >= 400, $"{stats.WaitingTasks} tasks wait in the pool");
    }

    private Task<FakeAgent> AgentAsync(int capacity = 4, string? account = null) => _market.AgentAsync(capacity, account);

    private Task<TaskView> SubmitAsync(string client, string moduleId, string inputId, TaskSpec? spec = null) =>
        _market.SubmitAsync(client, moduleId, inputId, Gstd, (spec ?? TaskSpec.Default) with { ReviewSeconds = 0 });

    private async Task<WorkerView> WorkerAsync(FakeAgent agent) =>
        (await Grains.GetGrain<IWorkerGrain>(agent.WorkerId).Get(agent.AccountId, false))!;
}
