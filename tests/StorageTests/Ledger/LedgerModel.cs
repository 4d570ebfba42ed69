using Gstd.Grains.Ledger;

namespace Gstd.StorageTests.Ledger;

/// <summary>One step of a generated ledger history.</summary>
public abstract record LedgerOp;

public sealed record DepositOp(int User, long Amount, int Reference) : LedgerOp;

public sealed record HoldOp(int Task, int User, long Price) : LedgerOp;

public sealed record ReleaseOp(int Task, int Worker) : LedgerOp;

public sealed record RefundOp(int Task) : LedgerOp;

public sealed record FreezeOp(int Task) : LedgerOp;

public sealed record DecideOp(int Task, int Dispute, int Worker, int ShareBps) : LedgerOp;

/// <summary>
/// The ledger's rules stated as plainly as possible, to compare the real ledger against: what each
/// operation should answer and where the money should be afterwards.
/// </summary>
public sealed class LedgerModel
{
    public const int FeeBps = 500;

    private readonly HashSet<string> _usedKeys = [];

    public long[] Available { get; } = new long[3];

    public Dictionary<int, Escrow> Escrows { get; } = [];

    public long PlatformFees { get; private set; }

    public object Apply(LedgerOp op) => op switch
    {
        DepositOp d => Transfer($"deposit:{d.Reference}", () =>
        {
            Available[d.User] += d.Amount;
            return TransferStatus.Applied;
        }),
        HoldOp h => Transfer($"hold:{h.Task}", () =>
        {
            var fee = Fees.Fee(h.Price, FeeBps);
            if (Available[h.User] < h.Price + fee)
            {
                return TransferStatus.InsufficientFunds;
            }

            Available[h.User] -= h.Price + fee;
            Escrows[h.Task] = new Escrow(h.User, h.Price, fee) { Balance = h.Price + fee };
            return TransferStatus.Applied;
        }),
        ReleaseOp r => Transfer($"release:{r.Task}", () => Empty(r.Task, mustBeFrozen: false, e =>
        {
            Available[r.Worker] += e.Price;
            PlatformFees += e.Fee;
            return "Released";
        })),
        RefundOp r => !Escrows.ContainsKey(r.Task)
            ? TransferStatus.EscrowNotHeld
            : Transfer($"refund:{r.Task}", () => Empty(r.Task, mustBeFrozen: false, e =>
            {
                Available[e.Owner] += e.Balance;
                return "Refunded";
            })),
        FreezeOp f => Freeze(f.Task),
        DecideOp d => !Escrows.ContainsKey(d.Task)
            ? TransferStatus.EscrowNotHeld
            : Transfer($"dispute:{d.Dispute}", () => Empty(d.Task, mustBeFrozen: true, e =>
            {
                var split = Fees.Split(e.Balance, e.Price, e.Fee, d.ShareBps);
                Available[d.Worker] += split.ToWorker;
                PlatformFees += split.ToPlatform;
                Available[e.Owner] += split.ToClient;
                return split.ToClient == 0 ? "Released" : split.ToWorker == 0 && split.ToPlatform == 0 ? "Refunded" : "Split";
            })),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private bool Freeze(int task)
    {
        if (!Escrows.TryGetValue(task, out var escrow) || escrow.State != "Held")
        {
            return false;
        }

        escrow.Frozen = true;
        return true;
    }

    private TransferStatus Transfer(string key, Func<TransferStatus> apply)
    {
        if (_usedKeys.Contains(key))
        {
            return TransferStatus.Replayed;
        }

        var status = apply();
        if (status == TransferStatus.Applied)
        {
            _usedKeys.Add(key);
        }

        return status;
    }

    private TransferStatus Empty(int task, bool mustBeFrozen, Func<Escrow, string> payOut)
    {
        if (!Escrows.TryGetValue(task, out var escrow) || escrow.State != "Held")
        {
            return TransferStatus.EscrowNotHeld;
        }

        if (!mustBeFrozen && escrow.Frozen)
        {
            return TransferStatus.EscrowFrozen;
        }

        if (mustBeFrozen && !escrow.Frozen)
        {
            return TransferStatus.EscrowNotFrozen;
        }

        escrow.State = payOut(escrow);
        escrow.Balance = 0;
        escrow.Frozen = false;
        return TransferStatus.Applied;
    }

    public sealed record Escrow(int Owner, long Price, long Fee)
    {
        public long Balance { get; set; }

        public string State { get; set; } = "Held";

        public bool Frozen { get; set; }
    }
}
