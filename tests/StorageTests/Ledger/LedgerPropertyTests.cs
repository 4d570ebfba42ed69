using CsCheck;
using Gstd.Grains.Ledger;

namespace Gstd.StorageTests.Ledger;

/// <summary>
/// Generated histories of deposits, holds, releases, refunds, freezes and dispute decisions, run against
/// the real ledger on PostgreSQL and compared with <see cref="LedgerModel"/>.
/// </summary>
public sealed class LedgerPropertyTests(LedgerFixture fixture) : IClassFixture<LedgerFixture>
{
    private const long Gstd = 1_000_000_000;

    // Weighted so that most histories hold money and then fight over it.
    private static readonly Gen<LedgerOp> Op = Gen.Frequency(
        (3, Gen.Select(Gen.Int[0, 2], Gen.Long[1, 200], Gen.Int[0, 5], (u, a, r) => (LedgerOp)new DepositOp(u, a * Gstd, r))),
        (3, Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], Gen.Long[1, 40_000_000_000], (t, u, p) => (LedgerOp)new HoldOp(t, u, p))),
        (2, Gen.Select(Gen.Int[0, 3], Gen.Int[0, 2], (t, w) => (LedgerOp)new ReleaseOp(t, w))),
        (1, Gen.Int[0, 3].Select(t => (LedgerOp)new RefundOp(t))),
        (2, Gen.Int[0, 3].Select(t => (LedgerOp)new FreezeOp(t))),
        (2, Gen.Select(Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 10_000], (t, d, w, s) => (LedgerOp)new DecideOp(t, d, w, s))));

    [Fact]
    public async Task Any_history_matches_the_model_keeps_the_journal_balanced_and_never_goes_negative()
    {
        await Op.Array[1, 40].SampleAsync(async ops =>
        {
            var model = new LedgerModel();
            var run = Guid.NewGuid().ToString("N")[..12];
            var users = new[] { await fixture.NewUserAsync(), await fixture.NewUserAsync(), await fixture.NewUserAsync() };
            var held = new Dictionary<int, (long Price, long Fee)>();

            foreach (var op in ops)
            {
                var expected = model.Apply(op);
                var actual = await ApplyAsync(op, run, users, held);
                Assert.True(Equals(expected, actual), $"{op}: the model says {expected}, the ledger said {actual}.");
            }

            for (var u = 0; u < users.Length; u++)
            {
                Assert.Equal(model.Available[u], await fixture.AvailableAsync(users[u]));
            }

            foreach (var (task, escrow) in model.Escrows)
            {
                var row = await fixture.ScalarAsync("SELECT balance FROM ledger_accounts WHERE id = @id",
                    ("id", LedgerAccounts.Escrow(TaskId(run, task), 1)));
                Assert.Equal(escrow.Balance, row);
            }

            var fees = await fixture.ScalarAsync(
                "SELECT COALESCE(sum(e.amount), 0) FROM ledger_entries e JOIN ledger_transfers t ON t.key = e.transfer_key WHERE e.account = @fees AND t.task_id LIKE @run",
                ("fees", LedgerAccounts.PlatformFees), ("run", $"task-{run}-%"));
            Assert.Equal(model.PlatformFees, fees);

            Assert.Equal(0, await fixture.ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries"));
            Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM ledger_accounts WHERE balance < 0"));
            Assert.Equal(0, await fixture.ScalarAsync(
                "SELECT count(*) FROM ledger_accounts WHERE kind = 'escrow' AND state <> 'Held' AND balance <> 0"));
        }, iter: 100, threads: 1);
    }

    private async Task<object> ApplyAsync(LedgerOp op, string run, string[] users, Dictionary<int, (long Price, long Fee)> held)
    {
        switch (op)
        {
            case DepositOp d:
                return await Status(tx => fixture.Ledger.DepositAsync(tx, users[d.User], d.Amount, $"{run}:{d.Reference}", default));
            case HoldOp h:
                var fee = Fees.Fee(h.Price, LedgerModel.FeeBps);
                var hold = await Status(tx => fixture.Ledger.HoldAsync(tx, TaskId(run, h.Task), 1, users[h.User], h.Price + fee, default));
                if (hold is TransferStatus.Applied)
                {
                    // What the task row would snapshot at submission.
                    held[h.Task] = (h.Price, fee);
                }

                return hold;
            case ReleaseOp r:
                var (price, releaseFee) = held.GetValueOrDefault(r.Task);
                return await Status(tx => fixture.Ledger.ReleaseAsync(tx, TaskId(run, r.Task), 1, [new Payout(users[r.Worker], price)], releaseFee, default));
            case RefundOp r:
                return await Status(tx => fixture.Ledger.RefundAsync(tx, TaskId(run, r.Task), 1, default));
            case FreezeOp f:
                return await fixture.InTransactionAsync(tx => fixture.Ledger.FreezeAsync(tx, TaskId(run, f.Task), 1, default));
            case DecideOp d:
                var split = held.TryGetValue(d.Task, out var snapshot)
                    ? Fees.Split(snapshot.Price + snapshot.Fee, snapshot.Price, snapshot.Fee, d.ShareBps)
                    : new SplitAmounts(0, 0, 0);
                return await Status(tx => fixture.Ledger.DecideAsync(tx, $"{run}-{d.Dispute}", TaskId(run, d.Task), 1, [users[d.Worker]], split, default));
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private async Task<object> Status(Func<Npgsql.NpgsqlTransaction, Task<TransferResult>> transfer) =>
        (await fixture.TransferAsync(transfer)).Status;

    private static string TaskId(string run, int task) => $"task-{run}-{task}";
}
