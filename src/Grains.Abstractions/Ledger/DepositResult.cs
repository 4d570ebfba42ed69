using Gstd.Accounts;

namespace Gstd.Ledger;

[GenerateSerializer, Alias("gstd.DepositStatus")]
public enum DepositStatus
{
    Credited = 0,
    Replayed = 1,
    AccountNotFound = 2,
    /// <summary>The reference was already used for a different account or amount.</summary>
    ReferenceConflict = 3,
    /// <summary>The balance would grow past the largest amount the ledger holds (about 9.2 billion GSTD); nothing was credited.</summary>
    WouldOverflow = 4,
}

[GenerateSerializer, Immutable, Alias("gstd.DepositResult")]
public sealed record DepositResult([property: Id(0)] DepositStatus Status, [property: Id(1)] Balance? Balance);
