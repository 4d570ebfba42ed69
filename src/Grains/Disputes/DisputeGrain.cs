using Gstd.Disputes;
using Gstd.Grains.Ledger;
using Gstd.Grains.Storage;
using Gstd.Grains.Verification;
using Gstd.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gstd.Grains.Disputes;

/// <summary>
/// One dispute's state machine. The row in <c>disputes</c> is the truth (created by the task's freezing
/// transaction); this grain writes it from then on, guarded by its version. Every step that must happen
/// later has the row's <c>due_at</c>, so the sweepers carry a dispute on after any crash: a lost
/// re-execution is run again, an undecided arbitration defaults, a decision the task has not applied yet is
/// applied again (the task and the ledger make that idempotent).
/// </summary>
public sealed class DisputeGrain(
    Postgres db, PlatformRunner runner, IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeGrain> logger)
    : Grain, IDisputeGrain
{
    /// <summary>Who the platform's own decisions are by.</summary>
    public const string Platform = "platform";

    private DisputeRecord? _dispute;

    /// <summary>The re-execution this activation has in flight, if any.</summary>
    private int? _running;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _dispute = await db.ReadAsync((connection, ct) => DisputeStore.LoadAsync(connection, Id, ct), cancellationToken);

    public async Task<DisputeActionResult> Open(OpenDispute command)
    {
        if (_dispute is not null)
        {
            return _dispute.ClientId == command.ClientId
                ? Refused(DisputeActionStatus.AlreadyDisputed, "The task was disputed before; a task is disputed at most once.")
                : new DisputeActionResult(DisputeActionStatus.NotFound, null, null);
        }

        if (DisputeIds.ForTask(command.TaskId) != Id)
        {
            return new DisputeActionResult(DisputeActionStatus.NotFound, null, null);
        }

        DisputeActionResult opening;
        try
        {
            opening = await GrainFactory.GetGrain<ITaskGrain>(command.TaskId).OpenDispute(command, Id);
        }
        catch
        {
            // The task may have committed before the answer was lost: then the row exists and its deadline is due.
            _dispute = await LoadAsync();
            throw;
        }

        if (opening.Status != DisputeActionStatus.Done)
        {
            return opening;
        }

        _dispute = await LoadAsync();
        await ProceedAsync();
        return new DisputeActionResult(DisputeActionStatus.Done, _dispute!.ToView(command.ClientId, isAdmin: false), null);
    }

    public async Task<DisputeView?> Get(string accountId, bool isAdmin)
    {
        _dispute ??= await LoadAsync();
        return _dispute is not null && _dispute.IsVisibleTo(accountId, isAdmin) ? _dispute.ToView(accountId, isAdmin) : null;
    }

    public async Task<DisputeActionResult> Decide(ArbitrationDecision decision)
    {
        if (_dispute is null)
        {
            return new DisputeActionResult(DisputeActionStatus.NotFound, null, null);
        }

        if (_dispute.Status != DisputeStatus.AwaitingArbitration)
        {
            return Refused(DisputeActionStatus.InvalidState, _dispute.Status == DisputeStatus.Resolved
                ? "The dispute was decided already; a dispute is decided once."
                : $"The dispute is {_dispute.Status}; only a dispute awaiting arbitration takes an admin's decision.");
        }

        if (decision.AdminId == _dispute.ClientId || _dispute.WorkerAccounts.Contains(decision.AdminId))
        {
            return Refused(DisputeActionStatus.InvalidState, "An admin cannot decide a dispute about their own task or work.");
        }

        if (decision.Outcome == DisputeOutcome.Split && decision.WorkerShareBps is < 0 or > Fees.BasisPoints)
        {
            return Refused(DisputeActionStatus.InvalidState, "A worker's share is between 0 and 10,000 basis points.");
        }

        var share = decision.Outcome switch
        {
            DisputeOutcome.Refund => 0,
            DisputeOutcome.Release => Fees.BasisPoints,
            _ => decision.WorkerShareBps,
        };
        await ResolveAsync(decision.Outcome, share, new DisputeDecision(decision.AdminId, time.GetUtcNow(), decision.Note, Automatic: false),
            againstWorker: decision.Outcome == DisputeOutcome.Refund);
        return new DisputeActionResult(DisputeActionStatus.Done, _dispute.ToView(null, isAdmin: true), null);
    }

    public async Task Wake()
    {
        // The row may have been written by the task after this activation looked (an Open whose answer was lost).
        _dispute ??= await LoadAsync();
        if (_dispute?.DueAt is { } due && due <= time.GetUtcNow())
        {
            await ProceedAsync();
        }
    }

    public async Task RecordRun(int number, ExecutionReport? report)
    {
        if (_running == number)
        {
            _running = null;
        }

        // A run that could not start, or one finished after the review moved on (a duplicate from an earlier activation), changes nothing.
        if (report is null || _dispute is not { Status: DisputeStatus.AutoReviewing } dispute || dispute.Body.Evidence.Reexecutions.Count != number - 1)
        {
            return;
        }

        var evidence = dispute.Body.Evidence with { Reexecutions = [.. dispute.Body.Evidence.Reexecutions, report] };
        if (await CommitAsync(Next(dispute, dispute.Status, dispute.Body with { Evidence = evidence }, time.GetUtcNow() + options.Value.RunCheck), null))
        {
            await ReviewAsync();
        }
    }

    /// <summary>Takes the dispute's next step: whatever its status says is due now.</summary>
    private async Task ProceedAsync()
    {
        var dispute = _dispute!;
        var now = time.GetUtcNow();
        switch (dispute.Status)
        {
            case DisputeStatus.Open when dispute.Reason == DisputeReason.Other:
                await EscalateAsync("The claim is not about the output, so a person decides.");
                break;
            case DisputeStatus.Open:
                var reviewBy = now + (2 * TimeSpan.FromSeconds(dispute.Body.Evidence.Spec.TimeoutSeconds)) + options.Value.ReviewMargin;
                var reviewing = Next(dispute, DisputeStatus.AutoReviewing, dispute.Body with { ReviewBy = reviewBy }, now + options.Value.RunCheck);
                if (await CommitAsync(reviewing, null))
                {
                    await ReviewAsync();
                }

                break;
            case DisputeStatus.AutoReviewing when now >= dispute.Body.ReviewBy:
                await EscalateAsync($"The automatic review did not finish by {dispute.Body.ReviewBy:u} (the platform runner was busy or down), so a person decides.");
                break;
            case DisputeStatus.AutoReviewing:
                await ReviewAsync();
                break;
            case DisputeStatus.AwaitingArbitration when now >= dispute.ArbitrateBy:
                await ResolveAsync(DisputeOutcome.Release, Fees.BasisPoints,
                    new DisputeDecision(Platform, now, $"No admin decided by {dispute.ArbitrateBy:u}; by default the escrow is released to the worker, whose result passed every check.", Automatic: true),
                    againstWorker: false);
                break;
            case DisputeStatus.Resolved when !dispute.Body.Applied:
                await ApplyAsync();
                break;
        }
    }

    /// <summary>The automatic review's next step from the runs so far.</summary>
    private async Task ReviewAsync()
    {
        var dispute = _dispute!;
        var verdict = ReviewVerdict.Next(dispute.Body.Evidence.Submitted.OutputSha256, dispute.Body.Evidence.Reexecutions);
        var now = time.GetUtcNow();
        switch (verdict.Step)
        {
            case ReviewStep.Execute when _running is null:
                StartRun(dispute, dispute.Body.Evidence.Reexecutions.Count + 1);
                if (dispute.DueAt <= now)
                {
                    await CommitAsync(Next(dispute, dispute.Status, dispute.Body, now + options.Value.RunCheck), null);
                }

                break;
            case ReviewStep.Execute:
                // The run is on its way; look again later in case this silo dies with it.
                await CommitAsync(Next(dispute, dispute.Status, dispute.Body, now + options.Value.RunCheck), null);
                break;
            case ReviewStep.Release:
                await ResolveAsync(DisputeOutcome.Release, Fees.BasisPoints, new DisputeDecision(Platform, now, verdict.Note, Automatic: true), againstWorker: false);
                break;
            case ReviewStep.Refund:
                await ResolveAsync(DisputeOutcome.Refund, 0, new DisputeDecision(Platform, now, verdict.Note, Automatic: true), againstWorker: true);
                break;
            case ReviewStep.Escalate:
                await EscalateAsync(verdict.Note);
                break;
        }
    }

    private void StartRun(DisputeRecord dispute, int number)
    {
        _running = number;
        var self = this.AsReference<IDisputeGrain>();
        var evidence = dispute.Body.Evidence;
        runner.Start(number, dispute.ClientId, dispute.TaskId, evidence.ModuleId, evidence.InputId, evidence.Spec, report => self.RecordRun(number, report));
    }

    private async Task EscalateAsync(string note)
    {
        var dispute = _dispute!;
        var arbitrateBy = time.GetUtcNow() + options.Value.ArbitrationWindow;
        var next = Next(dispute, DisputeStatus.AwaitingArbitration, dispute.Body with { ReviewNote = note }, arbitrateBy) with { ArbitrateBy = arbitrateBy };
        await CommitAsync(next, "dispute.escalated");
    }

    /// <summary>Records the decision (the event goes out with it), then has the task pay out the escrow.</summary>
    private async Task ResolveAsync(DisputeOutcome outcome, int workerShareBps, DisputeDecision decision, bool againstWorker)
    {
        var dispute = _dispute!;
        var body = dispute.Body with
        {
            Outcome = outcome,
            WorkerShareBps = workerShareBps,
            Decision = decision,
            AgainstWorker = againstWorker,
            ReviewNote = decision.Automatic ? decision.Note : dispute.Body.ReviewNote,
        };
        // Due at once: if the task cannot apply it now, the sweepers bring the decision back until it has.
        if (await CommitAsync(Next(dispute, DisputeStatus.Resolved, body, time.GetUtcNow()), "dispute.resolved"))
        {
            await ApplyAsync();
        }
    }

    private async Task ApplyAsync()
    {
        var dispute = _dispute!;
        var settlement = new DisputeSettlement(dispute.Id, dispute.Body.Outcome!.Value, dispute.Body.WorkerShareBps!.Value, dispute.Body.AgainstWorker);
        bool applied;
        try
        {
            applied = await GrainFactory.GetGrain<ITaskGrain>(dispute.TaskId).ResolveDispute(settlement);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            logger.LogWarning(e, "Dispute {Dispute}: the task could not apply the decision yet; the sweepers bring it back", dispute.Id);
            return;
        }

        if (applied)
        {
            await CommitAsync(Next(dispute, dispute.Status, dispute.Body with { Applied = true }, dueAt: null), null);
        }
        else
        {
            // Not for this dispute's task state: look again later rather than every sweep, and say so.
            logger.LogError("Dispute {Dispute}: task {Task} refused the decision; trying again later", dispute.Id, dispute.TaskId);
            await CommitAsync(Next(dispute, dispute.Status, dispute.Body, time.GetUtcNow() + options.Value.RunCheck), null);
        }
    }

    private DisputeRecord Next(DisputeRecord dispute, DisputeStatus status, DisputeBody body, DateTimeOffset? dueAt) =>
        dispute with { Version = dispute.Version + 1, Status = status, Body = body, DueAt = dueAt, UpdatedAt = time.GetUtcNow() };

    /// <summary>Writes the next row guarded by its version, with its event; on a conflict the grain reloads and the caller stops.</summary>
    private async Task<bool> CommitAsync(DisputeRecord next, string? eventKind)
    {
        var current = _dispute!;
        var committed = await db.WriteAsync(async (tx, ct) =>
        {
            if (!await DisputeStore.UpdateAsync(tx, next, current.Version, ct))
            {
                return false;
            }

            if (eventKind is not null)
            {
                await DisputeEvents.AppendAsync(tx, next, eventKind, next.UpdatedAt, ct);
            }

            return true;
        }, done => done, CancellationToken.None, async () => (await LoadAsync())?.Version == next.Version);
        _dispute = committed ? next : await LoadAsync();
        return committed;
    }

    private Task<DisputeRecord?> LoadAsync() => db.ReadAsync((connection, ct) => DisputeStore.LoadAsync(connection, Id, ct), CancellationToken.None);

    private DisputeActionResult Refused(DisputeActionStatus status, string detail) => new(status, _dispute?.ToView(null, isAdmin: false), detail);
}
