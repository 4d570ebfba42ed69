using Gstd.Disputes;
using Gstd.Tasks;

namespace Gstd.Grains.Disputes;

/// <summary>
/// A dispute row: the columns the database filters on, and the rest in <see cref="Body"/>. <see cref="WorkerId"/> is
/// the worker whose result the task kept; <see cref="WorkerAccounts"/> every account paid for that result (one per
/// agreeing replica), all of them parties to the dispute.
/// </summary>
public sealed record DisputeRecord(
    string Id,
    string TaskId,
    string ClientId,
    string WorkerId,
    IReadOnlyList<string> WorkerAccounts,
    long Version,
    DisputeStatus Status,
    DisputeReason Reason,
    DateTimeOffset? ArbitrateBy,
    DisputeBody Body,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the account may see the dispute: its client, an owner of a worker paid for the result, or an admin.</summary>
    public bool IsVisibleTo(string accountId, bool isAdmin) => isAdmin || accountId == ClientId || WorkerAccounts.Contains(accountId);

    /// <summary>
    /// The dispute as <paramref name="viewer"/> may see it (null: nobody in particular). Where a worker was is shown only
    /// to admins and to that worker's owner: the owner of the worker the task kept, when the result was one account's.
    /// </summary>
    public DisputeView ToView(string? viewer, bool isAdmin) => new(
        Id, TaskId, ClientId, WorkerId, Reason, Body.Details, Status, Body.Outcome, Body.WorkerShareBps,
        isAdmin ? Body.Evidence : Body.Evidence with { Attempts = [.. Body.Evidence.Attempts.Select(a => OwnsWorkerOf(viewer, a) ? a : a with { WorkerCell = null })] },
        Body.ReviewNote, Body.ReviewBy, ArbitrateBy, Body.Decision, CreatedAt, UpdatedAt);

    private bool OwnsWorkerOf(string? viewer, AttemptView attempt) =>
        attempt.WorkerId == WorkerId && WorkerAccounts is [var owner] && owner == viewer;

    public DisputeSummary ToSummary() => new(
        Id, TaskId, WorkerId, Reason, Status, Body.Outcome, Body.WorkerShareBps, Body.Evidence.Escrow, ArbitrateBy, CreatedAt, UpdatedAt);
}

/// <summary>
/// The parts of a dispute kept as JSON: the claim, the evidence, the workers paid for the result, the automatic
/// review's deadline and what it found, and the decision with whether the task has applied it yet.
/// </summary>
public sealed record DisputeBody(
    string Details,
    DisputeEvidence Evidence,
    IReadOnlyList<string> PaidWorkers,
    DateTimeOffset? ReviewBy = null,
    string? ReviewNote = null,
    DisputeOutcome? Outcome = null,
    int? WorkerShareBps = null,
    DisputeDecision? Decision = null,
    bool AgainstWorker = false,
    bool Applied = false);
