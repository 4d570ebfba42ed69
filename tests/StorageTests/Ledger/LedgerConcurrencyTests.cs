using Gstd.Grains.Ledger;

namespace Gstd.StorageTests.Ledger;

/// <summary>Transfers racing on the same accounts and the same keys, on real PostgreSQL.</summary>
public sealed class LedgerConcurrencyTests(LedgerFixture fixture) : IClassFixture<LedgerFixture>
{
    private const long Gstd = 1_000_000_000;

    [Fact]
    public async Task Racing_holds_on_one_account_spend_exactly_what_it_has()
    {
        var client = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 100 * Gstd, Guid.NewGuid().ToString(), default));

        // 40 holds of 3.15 GSTD race for 100 GSTD: exactly 31 fit.
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => fixture.TransferAsync(tx =>
            fixture.Ledger.HoldAsync(tx, $"race-{client}-{i}", 1, client, 3_150_000_000L, default))));

        Assert.Equal(31, results.Count(r => r.Status == TransferStatus.Applied));
        Assert.Equal(9, results.Count(r => r.Status == TransferStatus.InsufficientFunds));
        Assert.Equal(100 * Gstd - (31 * 3_150_000_000L), await fixture.AvailableAsync(client));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries"));
    }

    [Fact]
    public async Task Racing_deposits_with_one_reference_credit_once()
    {
        var user = await fixture.NewUserAsync();
        var reference = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => fixture.TransferAsync(tx =>
            fixture.Ledger.DepositAsync(tx, user, 7 * Gstd, reference, default))));

        Assert.Single(results, r => r.Status == TransferStatus.Applied);
        Assert.All(results.Where(r => r.Status != TransferStatus.Applied), r =>
        {
            Assert.Equal(TransferStatus.Replayed, r.Status);
            Assert.Contains(new JournalLine(LedgerAccounts.Available(user), 7 * Gstd), r.Lines);
        });
        Assert.Equal(7 * Gstd, await fixture.AvailableAsync(user));
    }

    [Fact]
    public async Task Release_and_refund_racing_on_one_escrow_let_only_one_through()
    {
        var client = await fixture.NewUserAsync();
        var worker = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));
        var task = "settle-" + Guid.NewGuid().ToString("N");
        await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, task, 1, client, 2_100_000_000L, default));

        var release = fixture.TransferAsync(tx => fixture.Ledger.ReleaseAsync(tx, task, 1, [new Payout(worker, 2 * Gstd)], 100_000_000, default));
        var refund = fixture.TransferAsync(tx => fixture.Ledger.RefundAsync(tx, task, 1, default));
        var results = await Task.WhenAll(release, refund);

        Assert.Single(results, r => r.Status == TransferStatus.Applied);
        Assert.Single(results, r => r.Status == TransferStatus.EscrowNotHeld);
        var workerGot = await fixture.AvailableAsync(worker);
        var clientHas = await fixture.AvailableAsync(client);
        Assert.True((workerGot, clientHas) is (2 * Gstd, 7_900_000_000L) or (0, 10 * Gstd), $"worker {workerGot}, client {clientHas}");
    }

    [Fact]
    public async Task Racing_payouts_to_one_operator_all_arrive()
    {
        // Many clients' tasks settle at once and pay one operator: payouts that find its row held become pending credits, and
        // every credit must still add up exactly.
        var operatorId = await fixture.NewUserAsync();
        var tasks = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var client = await fixture.NewUserAsync();
            await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));
            var task = $"payout-{operatorId}-{i}";
            await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, task, 1, client, 2_100_000_000L, default));
            return task;
        }));

        var results = await Task.WhenAll(tasks.Select(task => fixture.TransferAsync(tx =>
            fixture.Ledger.ReleaseAsync(tx, task, 1, [new Payout(operatorId, 2 * Gstd)], 100_000_000, default))));

        Assert.All(results, r => Assert.Equal(TransferStatus.Applied, r.Status));
        Assert.Equal(24 * 2 * Gstd, await fixture.AvailableAsync(operatorId));
        Assert.Equal(24 * 2 * Gstd, await fixture.ScalarAsync(
            "SELECT sum(amount) FROM ledger_entries WHERE account = @a", ("a", LedgerAccounts.Available(operatorId))));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries"));
    }

    [Fact]
    public async Task A_payout_does_not_wait_for_a_transaction_holding_the_payees_account_and_can_be_spent_at_once()
    {
        var operatorId = await fixture.NewUserAsync();
        var client = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, operatorId, 5 * Gstd, Guid.NewGuid().ToString(), default));
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));
        var task = "held-payee-" + Guid.NewGuid().ToString("N");
        await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, task, 1, client, 2_100_000_000L, default));

        // The operator, as a client, is spending: its hold has written and not yet committed, so its row is locked.
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var spending = fixture.TransferAsync(async tx =>
        {
            var result = await fixture.Ledger.HoldAsync(tx, "spend-" + task, 1, operatorId, Gstd, default);
            written.SetResult();
            await commit.Task;
            return result;
        });
        await written.Task;

        var payout = await fixture.TransferAsync(tx => fixture.Ledger.ReleaseAsync(tx, task, 1, [new Payout(operatorId, 2 * Gstd)], 100_000_000, default))
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TransferStatus.Applied, payout.Status);
        Assert.Equal(7 * Gstd, await fixture.AvailableAsync(operatorId));

        commit.SetResult();
        Assert.Equal(TransferStatus.Applied, (await spending).Status);
        Assert.Equal(6 * Gstd, await fixture.AvailableAsync(operatorId));

        // The pending credit is spendable: a hold of everything the account has goes through and leaves nothing pending.
        var all = await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, "all-" + task, 1, operatorId, 6 * Gstd, default));
        Assert.Equal(TransferStatus.Applied, all.Status);
        Assert.Equal(0, await fixture.AvailableAsync(operatorId));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM ledger_credits WHERE account = @a", ("a", LedgerAccounts.Available(operatorId))));
        Assert.Equal(0, await fixture.ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries"));
    }

    [Fact]
    public async Task Payouts_to_the_same_two_accounts_in_either_order_do_not_deadlock()
    {
        var first = await fixture.NewUserAsync();
        var second = await fixture.NewUserAsync();
        var client = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 100 * Gstd, Guid.NewGuid().ToString(), default));
        var tasks = Enumerable.Range(0, 20).Select(i => $"pair-{client}-{i}").ToArray();
        foreach (var task in tasks)
        {
            await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, task, 1, client, 2_100_000_000L, default));
        }

        // Half list the payouts one way round, half the other; a deadlock would fail one of them with an error.
        var results = await Task.WhenAll(tasks.Select((task, i) => fixture.TransferAsync(tx => fixture.Ledger.ReleaseAsync(tx, task, 1,
            i % 2 == 0 ? [new Payout(first, Gstd), new Payout(second, Gstd)] : [new Payout(second, Gstd), new Payout(first, Gstd)],
            100_000_000, default))));

        Assert.All(results, r => Assert.Equal(TransferStatus.Applied, r.Status));
        Assert.Equal(20 * Gstd, await fixture.AvailableAsync(first));
        Assert.Equal(20 * Gstd, await fixture.AvailableAsync(second));
    }

    [Fact]
    public async Task A_frozen_escrow_moves_only_by_the_dispute_decision()
    {
        var client = await fixture.NewUserAsync();
        var worker = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));
        var task = "frozen-" + Guid.NewGuid().ToString("N");
        await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, task, 1, client, 1_050_000_000, default));
        Assert.True(await fixture.InTransactionAsync(tx => fixture.Ledger.FreezeAsync(tx, task, 1, default)));

        var release = await fixture.TransferAsync(tx => fixture.Ledger.ReleaseAsync(tx, task, 1, [new Payout(worker, Gstd)], 50_000_000, default));
        var refund = await fixture.TransferAsync(tx => fixture.Ledger.RefundAsync(tx, task, 1, default));
        Assert.Equal(TransferStatus.EscrowFrozen, release.Status);
        Assert.Equal(TransferStatus.EscrowFrozen, refund.Status);

        var split = Fees.Split(1_050_000_000, Gstd, 50_000_000, 5_000);
        var decision = await fixture.TransferAsync(tx => fixture.Ledger.DecideAsync(tx, "d-" + task, task, 1, [worker], split, default));
        Assert.Equal(TransferStatus.Applied, decision.Status);
        Assert.Equal(500_000_000, await fixture.AvailableAsync(worker));
        Assert.Equal(10 * Gstd - 1_050_000_000 + split.ToClient, await fixture.AvailableAsync(client));

        var again = await fixture.TransferAsync(tx => fixture.Ledger.RefundAsync(tx, task, 1, default));
        Assert.Equal(TransferStatus.EscrowNotHeld, again.Status);
    }
}
