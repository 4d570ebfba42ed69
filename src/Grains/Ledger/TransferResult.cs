namespace Gstd.Grains.Ledger;

public enum TransferStatus
{
    /// <summary>The transfer moved money now.</summary>
    Applied,
    /// <summary>The key was used before: nothing moved, the lines are the first outcome's.</summary>
    Replayed,
    InsufficientFunds,
    /// <summary>A balance would grow past the largest amount it can hold (long.MaxValue nano-GSTD).</summary>
    BalanceOverflow,
    AccountNotFound,
    /// <summary>The escrow is frozen by a dispute: only the dispute's decision may move it.</summary>
    EscrowFrozen,
    /// <summary>The escrow was already released, refunded or split, or never held.</summary>
    EscrowNotHeld,
    /// <summary>A dispute decision on an escrow that no dispute froze.</summary>
    EscrowNotFrozen,
    /// <summary>The amounts given do not add up to what the escrow holds.</summary>
    AmountMismatch,
}

/// <summary>A signed movement on one account; the lines of a transfer sum to zero.</summary>
public sealed record JournalLine(string Account, long Amount);

public sealed record TransferResult(TransferStatus Status, IReadOnlyList<JournalLine> Lines)
{
    /// <summary>True when the money is where the caller asked, now or from the first time.</summary>
    public bool Succeeded => Status is TransferStatus.Applied or TransferStatus.Replayed;

    public static TransferResult Failed(TransferStatus status) => new(status, []);
}
