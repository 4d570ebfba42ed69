namespace Gstd.Grains.Ledger;

/// <summary>Fee and split arithmetic (DESIGN.md §5), exact in integers.</summary>
public static class Fees
{
    public const int BasisPoints = 10_000;

    /// <summary>ceil(price × feeBps / 10,000), charged on top of the price.</summary>
    public static long Fee(long price, int feeBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(price);
        ArgumentOutOfRangeException.ThrowIfNegative(feeBps);
        var product = (Int128)price * feeBps;
        return (long)((product + BasisPoints - 1) / BasisPoints);
    }

    /// <summary>
    /// A dispute split with the worker's share in basis points: each paid worker (one per agreeing replica) gets
    /// floor(price × s), the platform keeps floor(fee × s), and the client gets the exact remainder of the escrow.
    /// </summary>
    public static SplitAmounts Split(long escrow, long price, long fee, int workerShareBps, int workers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workerShareBps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerShareBps, BasisPoints);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        if (((Int128)price * workers) + fee > escrow)
        {
            throw new ArgumentException("Prices and fee exceed the escrow.", nameof(escrow));
        }

        var toWorker = (long)((Int128)price * workerShareBps / BasisPoints);
        var toPlatform = (long)((Int128)fee * workerShareBps / BasisPoints);
        return new SplitAmounts(toWorker, toPlatform, escrow - (toWorker * workers) - toPlatform);
    }
}

/// <summary>A split of an escrow: <see cref="ToWorker"/> to each paid worker, the platform's part and the client's.</summary>
public sealed record SplitAmounts(long ToWorker, long ToPlatform, long ToClient);
