namespace Gstd.Ledger;

/// <summary>One journal line of an account: signed nano amount, positive = credit.</summary>
[GenerateSerializer, Immutable, Alias("gstd.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Kind,
    [property: Id(4)] string? TaskId,
    [property: Id(5)] string TransferKey);

[GenerateSerializer, Immutable, Alias("gstd.LedgerQuery")]
public sealed record LedgerQuery(
    [property: Id(0)] DateTimeOffset? From,
    [property: Id(1)] DateTimeOffset? To,
    [property: Id(2)] int Limit,
    [property: Id(3)] long? BeforeId);

/// <summary>Newest first; <see cref="NextBeforeId"/> continues the listing when more lines exist.</summary>
[GenerateSerializer, Immutable, Alias("gstd.LedgerPage")]
public sealed record LedgerPage([property: Id(0)] IReadOnlyList<LedgerEntry> Items, [property: Id(1)] long? NextBeforeId);
