namespace Gstd.Tasks;

/// <summary>A task as its owner (or an admin) sees it; amounts in nano-GSTD.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskView")]
public sealed record TaskView(
    [property: Id(0)] string Id,
    [property: Id(1)] TaskState Status,
    [property: Id(2)] TaskReason? Reason,
    [property: Id(3)] string ModuleId,
    [property: Id(4)] string InputId,
    [property: Id(5)] long Price,
    [property: Id(6)] long Fee,
    [property: Id(7)] TaskSpec Spec,
    [property: Id(8)] EscrowView Escrow,
    [property: Id(9)] IReadOnlyList<AttemptView> Attempts,
    [property: Id(10)] IReadOnlyList<HistoryEntry> History,
    [property: Id(11)] DateTimeOffset? NextAttemptAt,
    [property: Id(12)] TaskResultView? Result,
    [property: Id(13)] DateTimeOffset? ReviewEndsAt,
    [property: Id(14)] string? DisputeId,
    [property: Id(15)] DateTimeOffset CreatedAt,
    [property: Id(16)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Alias("gstd.EscrowState")]
public enum EscrowState
{
    Held = 0,
    Frozen = 1,
    Released = 2,
    Refunded = 3,
    Split = 4,
}

[GenerateSerializer, Immutable, Alias("gstd.EscrowView")]
public sealed record EscrowView(
    [property: Id(0)] EscrowState State,
    [property: Id(1)] long Amount,
    [property: Id(2)] long? ToWorker,
    [property: Id(3)] long? ToClient,
    [property: Id(4)] long? ToPlatform);

[GenerateSerializer, Alias("gstd.AttemptOutcome")]
public enum AttemptOutcome
{
    Succeeded = 0,
    WorkerLost = 1,
    Failed = 2,
    Cancelled = 3,
}

[GenerateSerializer, Immutable, Alias("gstd.AttemptView")]
public sealed record AttemptView(
    [property: Id(0)] int Number,
    [property: Id(1)] string WorkerId,
    [property: Id(2)] GeoCell? WorkerCell,
    [property: Id(3)] long Lease,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? EndedAt,
    [property: Id(6)] AttemptOutcome? Outcome,
    [property: Id(7)] TaskReason? Error);

/// <summary>A location rounded to whole degrees, as the platform stores and shows it.</summary>
[GenerateSerializer, Immutable, Alias("gstd.GeoCell")]
public sealed record GeoCell([property: Id(0)] int Lat, [property: Id(1)] int Lon);

[GenerateSerializer, Immutable, Alias("gstd.HistoryEntry")]
public sealed record HistoryEntry([property: Id(0)] TaskState Status, [property: Id(1)] DateTimeOffset At, [property: Id(2)] TaskReason? Reason);

[GenerateSerializer, Immutable, Alias("gstd.TaskResultView")]
public sealed record TaskResultView(
    [property: Id(0)] byte[]? Output,
    [property: Id(1)] string OutputId,
    [property: Id(2)] string OutputSha256,
    [property: Id(3)] string WorkerId);
