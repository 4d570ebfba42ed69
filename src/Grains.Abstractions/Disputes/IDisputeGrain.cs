using Orleans.Concurrency;

namespace Gstd.Disputes;

/// <summary>
/// One dispute's state machine, evidence, deadlines and decision. Calls flow down to the task (which freezes
/// and pays out the escrow in its own transactions), never back up.
/// </summary>
[Alias("gstd.IDisputeGrain")]
public interface IDisputeGrain : IGrainWithStringKey
{
    /// <summary>The task's owner disputes its completed task; the grain key is <see cref="DisputeIds.ForTask"/> of it.</summary>
    [Alias("Open")]
    Task<DisputeActionResult> Open(OpenDispute command);

    /// <summary>The dispute for its client, the worker's owner, or an admin; null for anyone else.</summary>
    [Alias("Get")]
    Task<DisputeView?> Get(string accountId, bool isAdmin);

    /// <summary>An admin's decision on a dispute awaiting arbitration; a second decision is refused.</summary>
    [Alias("Decide")]
    Task<DisputeActionResult> Decide(ArbitrationDecision decision);

    /// <summary>A deadline of the dispute may have passed (sent by the sweepers; idempotent).</summary>
    [Alias("Wake"), OneWay]
    Task Wake();

    /// <summary>The platform runner finished a re-execution (null when it could not run it now).</summary>
    [Alias("RecordRun"), OneWay]
    Task RecordRun(int number, ExecutionReport? report);
}

[GenerateSerializer, Immutable, Alias("gstd.OpenDispute")]
public sealed record OpenDispute(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string TaskId,
    [property: Id(2)] DisputeReason Reason,
    [property: Id(3)] string Details);

/// <summary>An admin's decision: the outcome, the worker's share in basis points (for a split) and a note.</summary>
[GenerateSerializer, Immutable, Alias("gstd.ArbitrationDecision")]
public sealed record ArbitrationDecision(
    [property: Id(0)] string AdminId,
    [property: Id(1)] DisputeOutcome Outcome,
    [property: Id(2)] int WorkerShareBps,
    [property: Id(3)] string? Note);

[GenerateSerializer, Alias("gstd.DisputeActionStatus")]
public enum DisputeActionStatus
{
    Done = 0,
    NotFound = 1,
    /// <summary>The task was disputed before.</summary>
    AlreadyDisputed = 2,
    ReviewWindowClosed = 3,
    /// <summary>Not a Completed task, or a dispute not awaiting a decision.</summary>
    InvalidState = 4,
    /// <summary>The account has as many open disputes as it may.</summary>
    TooManyOpen = 5,
}

[GenerateSerializer, Immutable, Alias("gstd.DisputeActionResult")]
public sealed record DisputeActionResult(
    [property: Id(0)] DisputeActionStatus Status,
    [property: Id(1)] DisputeView? Dispute,
    [property: Id(2)] string? Detail);

/// <summary>
/// A decided dispute as the task applies it: the outcome, the worker's share in basis points, and whether
/// the worker was found to have delivered a wrong result (which costs it trust).
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeSettlement")]
public sealed record DisputeSettlement(
    [property: Id(0)] string DisputeId,
    [property: Id(1)] DisputeOutcome Outcome,
    [property: Id(2)] int WorkerShareBps,
    [property: Id(3)] bool AgainstWorker);
