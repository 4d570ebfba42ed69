using Gstd.Tasks;
using Gstd.Workers;

namespace Gstd.Grains.Tasks;

/// <summary>A task row: the columns the database filters on, and the rest of the state in <see cref="Body"/>.</summary>
public sealed record TaskRecord(
    string Id,
    string ClientId,
    long Version,
    TaskState Status,
    string ModuleId,
    string InputId,
    long Price,
    long Fee,
    int EscrowGeneration,
    TaskSpec Spec,
    TaskBody Body,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>What the escrow of the current generation holds: every replica's price and the fee.</summary>
    public long EscrowAmount => (Price * Spec.Replicas) + Fee;

    /// <summary>
    /// The task as a pool sees it while it waits: every worker that already had it is avoided, and a worker that
    /// delivered one of its replicas is never chosen again.
    /// </summary>
    public PoolTask ToPoolTask() =>
        new(Id, Spec.Priority, Spec.MinTrust, UpdatedAt, Body.Attempts.Select(a => a.WorkerId).Distinct(StringComparer.Ordinal).ToList(),
            Body.Replicas?.Select(r => r.WorkerId).ToList());

    /// <summary>Where the task runs or ran last, while a worker holds or has just answered it; shown on the client's map.</summary>
    public GeoCell? WorkerCell =>
        Status is TaskState.Assigned or TaskState.Running or TaskState.Verifying or TaskState.Completed && Body.Attempts.Count > 0
            ? Body.Attempts[^1].WorkerCell
            : null;

    public TaskView ToView() => new(
        Id, Status, Body.Reason, ModuleId, InputId, Price, Fee, Spec, Body.Escrow, Body.Attempts, Body.History,
        Body.NextAttemptAt, Body.Result, Body.ReviewEndsAt, Body.DisputeId, CreatedAt, UpdatedAt);
}

/// <summary>
/// The parts of a task's state kept as JSON in its row. <see cref="Replicas"/> are the verified results delivered
/// so far; <see cref="Payees"/> the accounts whose results were accepted, each paid the price at settlement.
/// </summary>
public sealed record TaskBody(
    EscrowView Escrow,
    IReadOnlyList<AttemptView> Attempts,
    IReadOnlyList<HistoryEntry> History,
    TaskReason? Reason,
    long Lease,
    TaskResultView? Result,
    DateTimeOffset? ReviewEndsAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset QueueDeadline,
    string? DisputeId,
    byte[] RequestHash,
    string? WorkerId = null,
    DateTimeOffset? AcceptBy = null,
    DateTimeOffset? LeaseExpiresAt = null,
    int Reassignments = 0,
    string? WorkerAccountId = null,
    string? RedriveKey = null,
    ResultProof? Proof = null,
    IReadOnlyList<ReplicaResult>? Replicas = null,
    IReadOnlyList<string>? Payees = null,
    DateTimeOffset? VerifyBy = null);

/// <summary>What the worker signed with its result, kept as evidence should the client dispute it.</summary>
public sealed record ResultProof(byte[] Signature, ulong PowNonce, long Size);
