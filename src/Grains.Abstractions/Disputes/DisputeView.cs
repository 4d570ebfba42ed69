using Gstd.Tasks;

namespace Gstd.Disputes;

/// <summary>
/// A dispute as its client, the worker's owner or an admin sees it; amounts in nano-GSTD. <see cref="ReviewNote"/>
/// says what the automatic review found, or why the dispute went to arbitration.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeView")]
public sealed record DisputeView(
    [property: Id(0)] string Id,
    [property: Id(1)] string TaskId,
    [property: Id(2)] string ClientId,
    [property: Id(3)] string WorkerId,
    [property: Id(5)] DisputeReason Reason,
    [property: Id(6)] string Details,
    [property: Id(7)] DisputeStatus Status,
    [property: Id(8)] DisputeOutcome? Outcome,
    [property: Id(9)] int? WorkerShareBps,
    [property: Id(10)] DisputeEvidence Evidence,
    [property: Id(11)] string? ReviewNote,
    [property: Id(12)] DateTimeOffset? ReviewBy,
    [property: Id(13)] DateTimeOffset? ArbitrateBy,
    [property: Id(14)] DisputeDecision? Decision,
    [property: Id(15)] DateTimeOffset OpenedAt,
    [property: Id(16)] DateTimeOffset UpdatedAt);

/// <summary>Who decided, when, why; <see cref="Automatic"/> for the platform's own verdicts and the deadline's default.</summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeDecision")]
public sealed record DisputeDecision(
    [property: Id(0)] string By,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Note,
    [property: Id(3)] bool Automatic);
