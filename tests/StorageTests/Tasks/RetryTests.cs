using Gstd.Grains.Tasks;
using Gstd.Protocol;
using Gstd.StorageTests.Balancing;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Tasks;

/// <summary>Failed attempts wait out their backoff in RetryWaiting, on a clock the test moves forward.</summary>
[Collection(ShiftedTimeCollection.Name)]
public sealed class RetryTests(ShiftedTimeClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = Market.Gstd;
    private readonly Market _market = new(fixture.Cluster);

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task Failures_back_off_1_5_and_30_seconds_on_another_worker_each_time_then_dead_letter_with_a_refund()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agents = new[] { await _market.AgentAsync(), await _market.AgentAsync() };
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { MaxAttempts = 4 });
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        string? previous = null;
        for (var failures = 1; failures <= 4; failures++)
        {
            var (workerId, offer) = await Market.NextOfferForAsync(task.Id, agents);
            // A worker-reported failure, even "invalid module", never makes a task non-retryable: the retry goes elsewhere.
            Assert.NotEqual(previous, workerId);
            previous = workerId;
            Assert.True((await grain.AcceptOffer(workerId, offer.Lease)).Accepted);
            Assert.True((await grain.Fail(workerId, offer.Lease, new TaskReason("invalid_module", "the module would not load"))).Accepted);

            var view = (await grain.Get(client, false))!;
            if (failures == 4)
            {
                Assert.Equal(TaskState.DeadLettered, view.Status);
                Assert.Equal("attempts_exhausted", view.Reason!.Code);
                break;
            }

            Assert.Equal(TaskState.RetryWaiting, view.Status);
            var wait = view.NextAttemptAt!.Value - view.Attempts[^1].EndedAt!.Value;
            var step = Backoff.Step(failures);
            Assert.InRange(wait, step * 0.8, step * 1.2);
            fixture.Clock.Advance(wait);
        }

        var final = (await grain.Get(client, false))!;
        Assert.Equal(4, final.Attempts.Count);
        Assert.All(final.Attempts, a => Assert.Equal(("invalid_module", AttemptOutcome.Failed), (a.Error!.Code, a.Outcome)));
        Assert.Equal(["Queued", "Assigned", "Running", "RetryWaiting", "Queued"], final.History.Take(5).Select(h => h.Status.ToString()));
        Assert.Equal(EscrowState.Refunded, final.Escrow.State);
        Assert.Equal(10 * Gstd, (await Grains.GetGrain<Gstd.Accounts.IAccountGrain>(client).Get())!.Balance.Available);

        // The client's dashboard hears of each backoff and of the dead letter.
        await Eventually.Until(() => TopicProbe.EventsAsync(Grains, "account:" + client),
            events => events.Where(e => e.PayloadJson.Contains(task.Id, StringComparison.Ordinal)).Select(e => e.Kind)
                .Where(kind => kind is "task.retry_scheduled" or "task.dead_lettered")
                .SequenceEqual(["task.retry_scheduled", "task.retry_scheduled", "task.retry_scheduled", "task.dead_lettered"]),
            TimeSpan.FromSeconds(30), "three task.retry_scheduled events and a task.dead_lettered one");
    }

    [Fact]
    public async Task A_repeated_or_late_retry_tick_changes_nothing()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await _market.AgentAsync();
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        var offer = await agent.NextOfferAsync(task.Id);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Fail(agent.WorkerId, offer.Lease, new TaskReason("trap", "unreachable"))).Accepted);
        var waiting = (await grain.Get(client, false))!;
        fixture.Clock.Advance(waiting.NextAttemptAt!.Value - waiting.Attempts[^1].EndedAt!.Value);

        var retried = await agent.NextOfferAsync(task.Id);
        var before = (await grain.Get(client, false))!;
        var tick = grain.AsReference<IRemindable>();
        var status = new TickStatus(DateTime.UtcNow, TimeSpan.FromMinutes(1), DateTime.UtcNow);
        await tick.ReceiveReminder(TaskGrain.RetryReminder, status);
        await tick.ReceiveReminder(TaskGrain.RetryReminder, status);

        var after = (await grain.Get(client, false))!;
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.History.Count, after.History.Count);
        Assert.Equal(retried.Lease, after.Attempts[^1].Lease);
    }

    [Fact]
    public async Task An_offer_not_accepted_in_10_s_and_a_lease_silent_for_15_s_go_to_other_workers()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agents = new[] { await _market.AgentAsync(), await _market.AgentAsync(), await _market.AgentAsync() };
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);

        var (ignoring, first) = await Market.NextOfferForAsync(task.Id, agents);
        fixture.Clock.Advance(TaskGrain.AcceptWindow + TimeSpan.FromSeconds(1));
        var (silent, second) = await Market.NextOfferForAsync(task.Id, agents);
        Assert.NotEqual(ignoring, silent);
        Assert.Equal(first.Lease + 1, second.Lease);

        Assert.True((await grain.AcceptOffer(silent, second.Lease)).Accepted);
        fixture.Clock.Advance(TaskGrain.LeaseWindow + TimeSpan.FromSeconds(1));
        var (third, _) = await Market.NextOfferForAsync(task.Id, agents);
        Assert.DoesNotContain(third, new[] { ignoring, silent });

        var attempts = (await grain.Get(client, false))!.Attempts;
        Assert.Equal([("offer_expired", AttemptOutcome.WorkerLost), ("lease_expired", AttemptOutcome.WorkerLost)],
            attempts.Take(2).Select(a => (a.Error!.Code, a.Outcome!.Value)));
        Assert.Equal(ProtocolCodes.LeaseExpired, (await grain.Complete(agents.Single(a => a.WorkerId == silent).Result(second, "late"u8.ToArray()))).Code);
    }

    [Fact]
    public async Task A_dead_lettered_task_is_redriven_under_a_new_hold_and_runs_again_for_its_owner_only()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await _market.AgentAsync();
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { MaxAttempts = 1, ReviewSeconds = 0 });
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        var offer = await agent.NextOfferAsync(task.Id);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Fail(agent.WorkerId, offer.Lease, new TaskReason("trap", "unreachable"))).Accepted);
        Assert.Equal(TaskState.DeadLettered, (await grain.Get(client, false))!.Status);

        var (stranger, _, _) = await _market.ClientAsync(Gstd);
        Assert.Equal(TaskActionStatus.NotFound, (await grain.Redrive(stranger, false, null)).Status);
        var redriven = await grain.Redrive(client, false, "redrive-1");
        Assert.Equal(TaskActionStatus.Done, redriven.Status);
        // Attempts start over (the agent was free, so the redrive was also the next assignment).
        Assert.DoesNotContain(redriven.Task!.Attempts, a => a.Outcome == AttemptOutcome.Failed);
        Assert.Equal(EscrowState.Held, redriven.Task.Escrow.State);
        Assert.Equal(10 * Gstd - (Gstd + 50_000_000), await AvailableAsync(client));
        // The same key again answers the task as it is, holding nothing twice; without it, the task is no dead letter.
        Assert.Equal(TaskActionStatus.Done, (await grain.Redrive(client, false, "redrive-1")).Status);
        Assert.Equal(10 * Gstd - (Gstd + 50_000_000), await AvailableAsync(client));
        Assert.Equal(TaskActionStatus.InvalidState, (await grain.Redrive(client, false, null)).Status);

        await _market.CompleteAsync(agent, task.Id, "ok"u8.ToArray());
        Assert.Equal(TaskState.Settled, (await grain.Get(client, false))!.Status);
        Assert.Equal(Gstd, await AvailableAsync(agent.AccountId));
        await using var journal = fixture.Database.DataSource.CreateCommand("SELECT COALESCE(sum(amount), 0)::bigint FROM ledger_entries");
        Assert.Equal(0L, await journal.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_redrive_the_balance_cannot_cover_is_refused_and_changes_nothing()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(Gstd + 50_000_000);
        var agent = await _market.AgentAsync();
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd, TaskSpec.Default with { MaxAttempts = 1 });
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        var offer = await agent.NextOfferAsync(task.Id);
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        Assert.True((await grain.Fail(agent.WorkerId, offer.Lease, new TaskReason("trap", "unreachable"))).Accepted);
        await _market.SubmitAsync(client, moduleId, inputId, Gstd);
        Assert.Equal(0, await AvailableAsync(client));

        var before = (await grain.Get(client, false))!;
        var refused = await grain.Redrive(client, false, null);
        Assert.Equal(TaskActionStatus.InsufficientFunds, refused.Status);
        var after = (await grain.Get(client, false))!;
        Assert.Equal((TaskState.DeadLettered, EscrowState.Refunded, before.History.Count), (after.Status, after.Escrow.State, after.History.Count));
    }

    [Fact]
    public async Task An_admin_skips_the_rest_of_a_backoff()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await _market.AgentAsync();
        var task = await _market.SubmitAsync(client, moduleId, inputId, Gstd);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        for (var failures = 1; failures <= 2; failures++)
        {
            var offer = await agent.NextOfferAsync(task.Id);
            Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
            Assert.True((await grain.Fail(agent.WorkerId, offer.Lease, new TaskReason("trap", "unreachable"))).Accepted);
            if (failures == 1)
            {
                var waiting = (await grain.Get(client, false))!;
                fixture.Clock.Advance(waiting.NextAttemptAt!.Value - waiting.Attempts[^1].EndedAt!.Value);
            }
        }

        // Five seconds of backoff remain; the admin does not wait for them.
        Assert.Equal(TaskState.RetryWaiting, (await grain.Get(client, false))!.Status);
        Assert.Equal(TaskActionStatus.Done, (await grain.RetryNow()).Status);
        Assert.Equal(3, (await agent.NextOfferAsync(task.Id)).Lease);
        Assert.Equal(TaskActionStatus.InvalidState, (await grain.RetryNow()).Status);
    }

    private async Task<long> AvailableAsync(string account) =>
        (await Grains.GetGrain<Gstd.Accounts.IAccountGrain>(account).Get())!.Balance.Available;
}
