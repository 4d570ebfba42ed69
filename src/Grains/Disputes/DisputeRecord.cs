using Gstd.Disputes;
using Gstd.Tasks;

namespace Gstd.Grains.Disputes;

/// <summary>A dispute row: the columns the database filters on, and the rest in <see cref="Body"/>.</summary>
public sealed record DisputeRecord(
    string Id,
    string TaskId,
    string ClientId,
    string WorkerId,
    string WorkerAccountId,
    long Version,
    DisputeStatus Status,
    DisputeReason Reason,
    DateTimeOffset? ArbitrateBy,
    DisputeBody Body,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether the account may see the dispute: its client, the owner of the worker it is about, or an admin.</summary>
    public bool IsVisibleTo(string accountId, bool isAdmin) => isAdmin || accountId == ClientId || accountId == WorkerAccountId;

    public DisputeView ToView() => new(
        Id, TaskId, ClientId, WorkerId, WorkerAccountId, Reason, Body.Details, Status, Body.Outcome, Body.WorkerShareBps,
        Body.Evidence, Body.ReviewNote, Body.ReviewBy, ArbitrateBy, Body.Decision, CreatedAt, UpdatedAt);

    public DisputeSummary ToSummary() => new(
        Id, TaskId, WorkerId, Reason, Status, Body.Outcome, Body.WorkerShareBps, Body.Evidence.Escrow, ArbitrateBy, CreatedAt, UpdatedAt);
}

/// <summary>
/// The parts of a dispute kept as JSON: the claim, the evidence, the automatic review's deadline and what it
/// found, and the decision with whether the task has applied it yet.
/// </summary>
public sealed record DisputeBody(
    string Details,
    DisputeEvidence Evidence,
    DateTimeOffset? ReviewBy = null,
    string? ReviewNote = null,
    DisputeOutcome? Outcome = null,
    int? WorkerShareBps = null,
    DisputeDecision? Decision = null,
    bool AgainstWorker = false,
    bool Applied = false);
