using Gstd.Tasks;

namespace Gstd.Disputes;

/// <summary>A page over disputes, newest first, optionally of some statuses.</summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeQuery")]
public sealed record DisputeQuery(
    [property: Id(0)] IReadOnlyList<DisputeStatus>? Statuses,
    [property: Id(1)] TaskCursor? After,
    [property: Id(2)] int Limit);

/// <summary>A list item: the dispute without its evidence.</summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeSummary")]
public sealed record DisputeSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string TaskId,
    [property: Id(2)] string WorkerId,
    [property: Id(3)] DisputeReason Reason,
    [property: Id(4)] DisputeStatus Status,
    [property: Id(5)] DisputeOutcome? Outcome,
    [property: Id(6)] int? WorkerShareBps,
    [property: Id(7)] long Escrow,
    [property: Id(8)] DateTimeOffset? ArbitrateBy,
    [property: Id(9)] DateTimeOffset OpenedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable, Alias("gstd.DisputePage")]
public sealed record DisputePage([property: Id(0)] IReadOnlyList<DisputeSummary> Items, [property: Id(1)] TaskCursor? Next);

/// <summary>
/// The disputes one account is party to, as client or as the worker's owner (keyed by the account id), or
/// every dispute under <see cref="Everyone"/> (the arbitration queue); read from the disputes table.
/// </summary>
[Alias("gstd.IDisputeListGrain")]
public interface IDisputeListGrain : IGrainWithStringKey
{
    public const string Everyone = "*";

    [Alias("List")]
    Task<DisputePage> List(DisputeQuery query);
}
