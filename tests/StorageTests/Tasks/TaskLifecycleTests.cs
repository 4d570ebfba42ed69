using Gstd.Accounts;
using Gstd.Content;
using Gstd.Grains.Ledger;
using Gstd.Identity;
using Gstd.Protocol;
using Gstd.StorageTests.Balancing;
using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Tasks;

/// <summary>Tasks from submission to settlement on the cluster, with agents played by the test.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TaskLifecycleTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = 1_000_000_000;
    private readonly Market _market = new(fixture.Cluster);

    private IGrainFactory Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Leaves the shared pool as it was found: no waiting tasks, no connected agents.</summary>
    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task A_task_grain_activated_again_reads_its_row_so_a_repeated_submission_is_answered_from_it()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var id = TaskIds.ForIdempotencyKey(await Grains.GetGrain<ITaskIdKeyGrain>(0).Get(), client, "again-" + Guid.NewGuid().ToString("N"));
        var grain = Grains.GetGrain<ITaskGrain>(id);
        var submitted = await grain.Submit(new SubmitTask(client, moduleId, inputId, Gstd / 2, TaskSpec.Default, [7]));
        Assert.Equal(SubmitStatus.Created, submitted.Status);

        var management = Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        await Eventually.Until(() => management.GetActivationAddress(grain).AsTask(), address => address is null, TimeSpan.FromSeconds(10), "the task grain to be deactivated");

        var repeated = await grain.Submit(new SubmitTask(client, moduleId, inputId, Gstd / 2, TaskSpec.Default, [7]));
        Assert.Equal((SubmitStatus.Replayed, id, TaskState.Queued), (repeated.Status, repeated.Task!.Id, repeated.Task.Status));
        Assert.Equal(SubmitStatus.KeyReused, (await grain.Submit(new SubmitTask(client, moduleId, inputId, Gstd / 2, TaskSpec.Default, [8]))).Status);
        Assert.Equal(TaskActionStatus.Done, (await grain.Cancel(client)).Status);
    }

    [Fact]
    public async Task A_task_runs_on_a_worker_and_settles_with_exact_money()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, Gstd / 2);
        // A worker had a free slot, so the submission itself was the decision.
        Assert.Equal(TaskState.Assigned, task.Status);

        var offer = await agent.NextOfferAsync(task.Id);
        Assert.Equal(WorkerProof.Difficulty(Gstd / 2), offer.PowDifficulty);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Progress(agent.WorkerId, offer.Lease)).Accepted);
        var output = "echo:hi"u8.ToArray();
        Assert.True((await grain.Complete(agent.Result(offer, output))).Accepted);
        Assert.True((await grain.Complete(agent.Result(offer, output))).Accepted);

        var completed = await grain.Get(client, false);
        Assert.Equal(TaskState.Completed, completed!.Status);
        Assert.Equal(output, completed.Result!.Output);
        Assert.Equal(AttemptOutcome.Succeeded, completed.Attempts.Single().Outcome);

        var settled = await grain.Accept(client);
        Assert.Equal(TaskState.Settled, settled.Task!.Status);
        Assert.Equal(EscrowState.Released, settled.Task.Escrow.State);
        Assert.Equal(10 * Gstd - (Gstd / 2) - 25_000_000, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Available);
        Assert.Equal(Gstd / 2, (await Grains.GetGrain<IAccountGrain>(agent.AccountId).Get())!.Balance.Available);
        Assert.Equal(0, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Escrow);
        Assert.Equal(TaskActionStatus.Done, (await grain.Accept(client)).Status);
    }

    [Fact]
    public async Task An_accepted_offer_is_written_with_a_quick_result_and_on_its_own_when_the_run_takes_longer()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var quick = await SubmitAsync(client, moduleId, inputId, Gstd / 2);
        var quickOffer = await agent.NextOfferAsync(quick.Id);
        var quickGrain = Grains.GetGrain<ITaskGrain>(quick.Id);
        Assert.True((await quickGrain.AcceptOffer(agent.WorkerId, quickOffer.Lease)).Accepted);
        Assert.Equal(TaskState.Running, (await quickGrain.Get(client, false))!.Status);
        Assert.Equal("Assigned", await StoredStatusAsync(quick.Id));
        Assert.True((await quickGrain.Complete(agent.Result(quickOffer, "echo:quick"u8.ToArray()))).Accepted);
        Assert.Equal("Completed", await StoredStatusAsync(quick.Id));

        var slow = await SubmitAsync(client, moduleId, inputId, Gstd / 2);
        var slowOffer = await agent.NextOfferAsync(slow.Id);
        var slowGrain = Grains.GetGrain<ITaskGrain>(slow.Id);
        Assert.True((await slowGrain.AcceptOffer(agent.WorkerId, slowOffer.Lease)).Accepted);
        await Eventually.Until(() => StoredStatusAsync(slow.Id), status => status == "Running", TimeSpan.FromSeconds(30), "Running to be written on its own");
        Assert.True((await slowGrain.Complete(agent.Result(slowOffer, "echo:slow"u8.ToArray()))).Accepted);

        // Either way the client hears of every state once, in order.
        string[] states = ["task.queued", "task.assigned", "task.running", "task.completed"];
        var events = await Eventually.Until(() => TopicProbe.EventsAsync(fixture.Cluster.Client, "account:" + client),
            e => e.Count(x => x.Kind == "task.completed") == 2, TimeSpan.FromSeconds(30), "both tasks' events on the client's topic");
        foreach (var id in new[] { quick.Id, slow.Id })
        {
            Assert.Equal(states, events.Where(e => e.Kind.StartsWith("task.", StringComparison.Ordinal) && e.PayloadJson.Contains(id, StringComparison.Ordinal)).Select(e => e.Kind));
        }
    }

    private Task<string?> StoredStatusAsync(string taskId) => StoredTasks.StatusAsync(fixture.Database.DataSource, taskId);

    [Fact]
    public async Task Forged_stale_or_foreign_results_are_refused_and_change_nothing()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var other = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, 5 * Gstd);
        var offer = await Market.NextOfferForAsync(task.Id, agent, other);
        var (holder, stranger) = offer.Agent == agent.WorkerId ? (agent, other) : (other, agent);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        Assert.True((await grain.AcceptOffer(holder.WorkerId, offer.Offer.Lease)).Accepted);
        var output = "out"u8.ToArray();

        Assert.Equal(ProtocolCodes.LeaseExpired, (await grain.Complete(holder.Result(offer.Offer with { Lease = offer.Offer.Lease + 1 }, output))).Code);
        Assert.Equal(ProtocolCodes.LeaseExpired, (await grain.Complete(stranger.Result(offer.Offer, output))).Code);
        Assert.Equal(ProtocolCodes.InvalidSignature, (await grain.Complete(holder.Result(offer.Offer, output, signature: new byte[64]))).Code);
        var badNonce = Enumerable.Range(0, 1000).Select(n => (ulong)n)
            .First(n => !WorkerProof.IsValidPow(task.Id, offer.Offer.Lease, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(output)), holder.WorkerId, n, offer.Offer.PowDifficulty));
        Assert.Equal(ProtocolCodes.InvalidPow, (await grain.Complete(holder.Result(offer.Offer, output, powNonce: badNonce))).Code);
        var wrongHash = holder.Result(offer.Offer, output) with { Output = "other"u8.ToArray() };
        Assert.Equal(ProtocolCodes.ValidationFailed, (await grain.Complete(wrongHash)).Code);

        var view = await grain.Get(client, false);
        Assert.Equal(TaskState.Running, view!.Status);
        Assert.Null(view.Result);
        Assert.True((await grain.Complete(holder.Result(offer.Offer, output))).Accepted);
    }

    [Fact]
    public async Task A_declined_task_goes_to_another_worker_at_once()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var first = await AgentAsync();
        var second = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, Gstd);
        var offer = await Market.NextOfferForAsync(task.Id, first, second);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        Assert.True((await grain.Decline(offer.Agent, offer.Offer.Lease)).Accepted);

        var next = await Market.NextOfferForAsync(task.Id, first, second);
        Assert.NotEqual(offer.Agent, next.Agent);
        Assert.Equal(offer.Offer.Lease + 1, next.Offer.Lease);
        Assert.Equal(ProtocolCodes.LeaseExpired, (await grain.AcceptOffer(offer.Agent, offer.Offer.Lease)).Code);
        var view = await grain.Get(client, false);
        Assert.Equal([AttemptOutcome.WorkerLost, null], view!.Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_running_task_whose_worker_dropped_and_stayed_away_goes_to_another_worker_without_waiting_out_the_lease()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var vanished = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, Gstd);
        var offer = await vanished.NextOfferAsync(task.Id);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        Assert.True((await grain.AcceptOffer(vanished.WorkerId, offer.Lease)).Accepted);

        // The agent process dies: its gateway sees the socket drop (no close) and stops vouching for it.
        vanished.StopHeartbeats();
        await Grains.GetGrain<IWorkerGrain>(vanished.WorkerId).Disconnect(vanished.Session!, clean: false);
        var survivor = await AgentAsync();
        var next = await survivor.NextOfferAsync(task.Id);

        Assert.Equal(offer.Lease + 1, next.Lease);
        var lost = (await grain.Get(client, false))!.Attempts[0];
        // Released after the reconnect grace, not expired after 15 s without progress.
        Assert.Equal((AttemptOutcome.WorkerLost, "worker_lost"), (lost.Outcome!.Value, lost.Error!.Code));
        Assert.Equal(ProtocolCodes.LeaseExpired, (await grain.Complete(vanished.Result(offer, "late"u8.ToArray()))).Code);
    }

    [Fact]
    public async Task A_task_that_fails_every_attempt_is_dead_lettered_with_a_refund()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { MaxAttempts = 2 });
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var offer = await agent.NextOfferAsync(task.Id);
            Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
            Assert.True((await grain.Fail(agent.WorkerId, offer.Lease, new TaskReason("trap", "unreachable"))).Accepted);
        }

        var view = await grain.Get(client, false);
        Assert.Equal(TaskState.DeadLettered, view!.Status);
        Assert.Equal("attempts_exhausted", view.Reason!.Code);
        Assert.Equal(EscrowState.Refunded, view.Escrow.State);
        Assert.Equal(10 * Gstd, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Available);
    }

    [Fact]
    public async Task A_completed_task_settles_by_itself_when_its_review_window_ends()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync();
        var task = await SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { ReviewSeconds = 1 });
        var offer = await agent.NextOfferAsync(task.Id);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        await grain.AcceptOffer(agent.WorkerId, offer.Lease);
        await grain.Complete(agent.Result(offer, "done"u8.ToArray()));

        await Eventually.Until(async () => (await grain.Get(client, false))!.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the review window to settle the task");
        Assert.Equal(Gstd, (await Grains.GetGrain<IAccountGrain>(agent.AccountId).Get())!.Balance.Available);
    }

    [Fact]
    public async Task Cancelling_a_running_task_refunds_it_and_frees_the_worker()
    {
        var (client, moduleId, inputId) = await ClientAsync(10 * Gstd);
        var agent = await AgentAsync(capacity: 1);
        var first = await SubmitAsync(client, moduleId, inputId, Gstd);
        var offer = await agent.NextOfferAsync(first.Id);
        await Grains.GetGrain<ITaskGrain>(first.Id).AcceptOffer(agent.WorkerId, offer.Lease);
        var second = await SubmitAsync(client, moduleId, inputId, Gstd);

        Assert.Equal(TaskActionStatus.Done, (await Grains.GetGrain<ITaskGrain>(first.Id).Cancel(client)).Status);
        var revoked = await agent.Revocations.Reader.ReadAsync();
        Assert.Equal(first.Id, revoked.TaskId);
        var next = await agent.NextOfferAsync(second.Id);
        Assert.Equal(1, next.Lease);
        Assert.Equal(10 * Gstd - Gstd - 50_000_000, (await Grains.GetGrain<IAccountGrain>(client).Get())!.Balance.Available);
    }

    private Task<(string Client, string ModuleId, string InputId)> ClientAsync(long funds) => _market.ClientAsync(funds);

    private async Task<FakeAgent> AgentAsync(int capacity = 4)
    {
        var agent = await _market.AgentAsync(capacity);
        var nonce = Guid.NewGuid().ToString("N");
        Assert.False(await Grains.GetGrain<IWorkerGrain>(agent.WorkerId).Connect(agent.Session!, agent.AccountId, nonce, new byte[64]));
        return agent;
    }

    private Task<TaskView> SubmitAsync(string client, string moduleId, string inputId, long price, TaskSpec? spec = null) =>
        _market.SubmitAsync(client, moduleId, inputId, price, spec);
}
