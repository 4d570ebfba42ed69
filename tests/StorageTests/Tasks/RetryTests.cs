using Gstd.Grains.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Tasks;

/// <summary>Failed attempts wait out their backoff in RetryWaiting, on a clock the test moves forward.</summary>
[Collection(ShiftedTimeCollection.Name)]
public sealed class RetryTests(ShiftedTimeClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = Market.Gstd;
    private readonly Market _market = new(fixture.Cluster.Client);

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
}
