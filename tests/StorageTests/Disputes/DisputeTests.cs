using Gstd.Disputes;
using Gstd.Grains.Disputes;
using Gstd.Identity;
using Gstd.Scheduling;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Disputes;

/// <summary>Each way a dispute ends, on the cluster with a clock the test moves, and the freeze on the escrow meanwhile.</summary>
[Collection(ShiftedTimeCollection.Name)]
public sealed class DisputeTests(ShiftedTimeClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = DisputeParties.Gstd;
    private const long Fee = Gstd / 20;
    private static readonly byte[] RightOutput = "echo:hi"u8.ToArray();
    private readonly Market _market = new(fixture.Cluster);

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task A_wrong_output_claim_against_a_right_result_is_rejected_by_re_execution_and_the_worker_is_paid()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, RightOutput);

        var opened = await parties.OpenAsync(DisputeReason.WrongOutput);
        Assert.Equal(DisputeActionStatus.Done, opened.Status);
        var frozen = await parties.TaskAsync();
        Assert.Contains(frozen.Status, new[] { TaskState.Disputed, TaskState.Settled });
        Assert.Equal(parties.DisputeId, frozen.DisputeId);

        var resolved = await parties.ResolvedAsync();
        Assert.Equal(DisputeOutcome.Release, resolved.Outcome);
        Assert.True(resolved.Decision!.Automatic);
        Assert.Equal(DisputeGrain.Platform, resolved.Decision.By);
        var run = Assert.Single(resolved.Evidence.Reexecutions);
        Assert.Equal("Succeeded", run.Outcome);
        Assert.Equal(resolved.Evidence.Submitted.OutputSha256, run.OutputSha256);
        Assert.Equal(RightOutput, run.Preview);

        var task = await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the task to settle");
        Assert.Equal(EscrowState.Released, task.Escrow.State);
        Assert.Equal(Gstd, await parties.AvailableAsync(parties.Agent.AccountId));
        Assert.Equal(100 * Gstd - Gstd - Fee, await parties.AvailableAsync(parties.Client));
        Assert.Equal(0, await parties.EscrowAsync(parties.Client));
    }

    [Fact]
    public async Task A_wrong_result_is_confirmed_by_a_second_execution_then_the_client_is_refunded_and_the_worker_loses_trust()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, "echo:bye"u8.ToArray());

        Assert.Equal(DisputeActionStatus.Done, (await parties.OpenAsync(DisputeReason.WrongOutput)).Status);
        var resolved = await parties.ResolvedAsync();

        Assert.Equal(DisputeOutcome.Refund, resolved.Outcome);
        Assert.Equal(2, resolved.Evidence.Reexecutions.Count);
        Assert.All(resolved.Evidence.Reexecutions, r => Assert.Equal(RightOutput, r.Preview));
        Assert.Contains("Two platform executions agree", resolved.Decision!.Note);
        var task = await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Refunded, TimeSpan.FromSeconds(30), "the task to be refunded");
        Assert.Equal(EscrowState.Refunded, task.Escrow.State);
        Assert.Equal(100 * Gstd, await parties.AvailableAsync(parties.Client));
        Assert.Equal(0, await parties.AvailableAsync(parties.Agent.AccountId));
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM trust_history WHERE account_id = @a AND task_id = @t AND event = 'LostDispute'",
            ("a", parties.Agent.AccountId), ("t", task.Id)));
    }

    [Fact]
    public async Task A_claim_about_something_else_goes_to_an_admin_whose_split_moves_the_money_once_and_is_shown_to_both_parties()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, RightOutput);

        var opened = await parties.OpenAsync(DisputeReason.Other, "It took too long.");
        Assert.Equal(DisputeStatus.AwaitingArbitration, opened.Dispute!.Status);
        Assert.Empty(opened.Dispute.Evidence.Reexecutions);
        Assert.True(opened.Dispute.ArbitrateBy > fixture.Clock.GetUtcNow().AddHours(71));
        Assert.Equal(TaskActionStatus.EscrowFrozen, (await Grains.GetGrain<ITaskGrain>(parties.Task.Id).Accept(parties.Client)).Status);

        var admin = Ids.New("acc");
        var decided = await parties.Dispute.Decide(new ArbitrationDecision(admin, DisputeOutcome.Split, 3_000, "Slow but correct: 30 % to the worker."));
        Assert.Equal(DisputeActionStatus.Done, decided.Status);
        var again = await parties.Dispute.Decide(new ArbitrationDecision(admin, DisputeOutcome.Refund, 0, "Changed my mind."));
        Assert.Equal(DisputeActionStatus.InvalidState, again.Status);

        var task = await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the split to be paid");
        Assert.Equal(EscrowState.Split, task.Escrow.State);
        Assert.Equal((3 * Gstd) / 10, await parties.AvailableAsync(parties.Agent.AccountId));
        Assert.Equal(100 * Gstd - ((3 * Gstd) / 10) - ((3 * Fee) / 10), await parties.AvailableAsync(parties.Client));
        Assert.Equal(0, await parties.EscrowAsync(parties.Client));
        var worker = await Grains.GetGrain<Workers.IWorkerGrain>(parties.Agent.WorkerId).Get(parties.Agent.AccountId, false);
        Assert.Equal((3 * Gstd) / 10, worker!.Activity!.Earned);

        var workerSees = await parties.Dispute.Get(parties.Agent.AccountId, isAdmin: false);
        Assert.Equal(admin, workerSees!.Decision!.By);
        Assert.Equal("Slow but correct: 30 % to the worker.", workerSees.Decision.Note);
        Assert.False(workerSees.Decision.Automatic);
        Assert.Null(await parties.Dispute.Get(Ids.New("acc"), isAdmin: false));
    }

    [Fact]
    public async Task A_re_execution_that_runs_out_of_fuel_proves_nothing_and_goes_to_arbitration()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, "done"u8.ToArray(), module: "infinite-loop",
            spec: TaskSpec.Default with { MaxFuel = 1_000_000, ReviewSeconds = 3_600 });

        Assert.Equal(DisputeActionStatus.Done, (await parties.OpenAsync(DisputeReason.WrongOutput)).Status);
        var escalated = await Eventually.Until(() => parties.Dispute.Get(parties.Client, false),
            d => d!.Status == DisputeStatus.AwaitingArbitration, TimeSpan.FromSeconds(30), "the dispute to go to arbitration");

        Assert.Equal("OutOfFuel", Assert.Single(escalated!.Evidence.Reexecutions).Outcome);
        Assert.Contains("OutOfFuel", escalated.ReviewNote);
        Assert.NotNull(escalated.ArbitrateBy);
        Assert.Equal(TaskState.Disputed, (await parties.TaskAsync()).Status);
    }

    [Fact]
    public async Task When_no_admin_decides_by_the_deadline_the_escrow_is_released_to_the_worker()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, RightOutput);
        Assert.Equal(DisputeActionStatus.Done, (await parties.OpenAsync(DisputeReason.Other)).Status);

        fixture.Clock.Advance(new DisputeOptions().ArbitrationWindow + TimeSpan.FromMinutes(1));
        var resolved = await parties.ResolvedAsync();

        Assert.Equal(DisputeOutcome.Release, resolved.Outcome);
        Assert.True(resolved.Decision!.Automatic);
        Assert.Contains("No admin decided", resolved.Decision.Note);
        await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the task to settle");
        Assert.Equal(Gstd, await parties.AvailableAsync(parties.Agent.AccountId));
    }

    [Fact]
    public async Task A_task_is_disputed_once_by_its_owner_only_while_completed_and_inside_its_review_window()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, RightOutput);

        var stranger = await parties.Dispute.Open(new OpenDispute(Ids.New("acc"), parties.Task.Id, DisputeReason.Other, ""));
        Assert.Equal(DisputeActionStatus.NotFound, stranger.Status);
        Assert.Equal(DisputeActionStatus.Done, (await parties.OpenAsync(DisputeReason.Other)).Status);
        Assert.Equal(DisputeActionStatus.AlreadyDisputed, (await parties.OpenAsync(DisputeReason.WrongOutput)).Status);

        var late = await DisputeParties.CompletedAsync(Grains, _market, RightOutput, spec: TaskSpec.Default with { ReviewSeconds = 60 });
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(DisputeActionStatus.ReviewWindowClosed, (await late.OpenAsync(DisputeReason.WrongOutput)).Status);
        var settled = await Eventually.Until(late.TaskAsync, t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the late task to settle");
        Assert.Null(settled.DisputeId);

        // A task still running has nothing to dispute yet.
        var running = await _market.SubmitAsync(late.Client, parties.Task.ModuleId, parties.Task.InputId, Gstd);
        var (holder, offer) = await Market.NextOfferForAsync(running.Id, parties.Agent, late.Agent);
        Assert.True((await Grains.GetGrain<ITaskGrain>(running.Id).AcceptOffer(holder, offer.Lease)).Accepted);
        var early = await Grains.GetGrain<IDisputeGrain>(DisputeIds.ForTask(running.Id)).Open(new OpenDispute(late.Client, running.Id, DisputeReason.Other, ""));
        Assert.Equal(DisputeActionStatus.InvalidState, early.Status);
    }

    [Fact]
    public async Task The_freeze_holds_against_accept_the_end_of_the_review_window_and_the_sentinel_until_the_decision()
    {
        var parties = await DisputeParties.CompletedAsync(Grains, _market, RightOutput, spec: TaskSpec.Default with { ReviewSeconds = 30 });
        Assert.Equal(DisputeActionStatus.Done, (await parties.OpenAsync(DisputeReason.Other)).Status);
        var escrow = Gstd + Fee;

        Assert.Equal(TaskActionStatus.EscrowFrozen, (await Grains.GetGrain<ITaskGrain>(parties.Task.Id).Accept(parties.Client)).Status);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await Grains.GetGrain<ITaskGrain>(parties.Task.Id).Wake();
        var audit = await Grains.GetGrain<ISentinelGrain>(0).Audit();

        Assert.DoesNotContain(parties.Task.Id, audit.Overdue);
        Assert.Equal(TaskState.Disputed, (await parties.TaskAsync()).Status);
        Assert.Equal(escrow, await parties.EscrowAsync(parties.Client));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM ledger_accounts WHERE task_id = @t AND frozen AND state = 'Held'", ("t", parties.Task.Id)));

        await parties.Dispute.Decide(new ArbitrationDecision(Ids.New("acc"), DisputeOutcome.Refund, 0, "The client is right."));
        await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Refunded, TimeSpan.FromSeconds(30), "the refund");
        Assert.Equal(100 * Gstd, await parties.AvailableAsync(parties.Client));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM ledger_accounts WHERE task_id = @t AND (frozen OR balance <> 0)", ("t", parties.Task.Id)));
    }

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
