using Gstd.Accounts;
using Gstd.Grains.Ledger;
using Gstd.Grains.Storage;

namespace Gstd.StorageTests.Ledger;

/// <summary>
/// The balance a transfer hands to the statements sent along with it (a task's <c>balance.changed</c> event) is the
/// balance the transfer leaves, also when transfers of one client race.
/// </summary>
public sealed class LedgerBalanceAlongTests(LedgerFixture fixture) : IClassFixture<LedgerFixture>
{
    private const long Gstd = 1_000_000_000;

    [Fact]
    public async Task Each_transfer_reports_the_balance_it_leaves()
    {
        var client = await fixture.NewUserAsync();
        var worker = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));
        var (first, second) = ("along-" + Guid.NewGuid().ToString("N"), "along-" + Guid.NewGuid().ToString("N"));

        Balance? reported = null;
        var along = new AlongWith(client, (_, balance) => reported = balance);
        await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, first, 1, client, 3 * Gstd, default, along));
        Assert.Equal(new Balance(7 * Gstd, 3 * Gstd), reported);
        Assert.Equal(reported, await BalanceAsync(client));

        await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, second, 1, client, 2 * Gstd, default, along));
        Assert.Equal(new Balance(5 * Gstd, 5 * Gstd), reported);

        // Part of the first escrow goes to the worker and the fee, part comes back to the client.
        await fixture.TransferAsync(tx => fixture.Ledger.ReleaseAsync(tx, first, 1, [new Payout(worker, Gstd), new Payout(client, Gstd + Gstd / 2)], Gstd / 2, default, along));
        Assert.Equal(new Balance(6 * Gstd + Gstd / 2, 2 * Gstd), reported);
        Assert.Equal(reported, await BalanceAsync(client));

        await fixture.TransferAsync(tx => fixture.Ledger.RefundAsync(tx, second, 1, default, along));
        Assert.Equal(new Balance(8 * Gstd + Gstd / 2, 0), reported);
        Assert.Equal(reported, await BalanceAsync(client));
    }

    [Fact]
    public async Task Racing_holds_of_one_client_each_report_the_balance_after_those_committed_before_it()
    {
        var client = await fixture.NewUserAsync();
        await fixture.TransferAsync(tx => fixture.Ledger.DepositAsync(tx, client, 10 * Gstd, Guid.NewGuid().ToString(), default));

        var reports = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            Balance? reported = null;
            var along = new AlongWith(client, (_, balance) => reported = balance);
            await fixture.TransferAsync(tx => fixture.Ledger.HoldAsync(tx, $"along-race-{client}-{i}", 1, client, Gstd, default, along));
            return reported;
        }));

        // Held one after the other under the client's lock: every step from 9 down to 0 is reported once.
        Assert.Equal(Enumerable.Range(0, 10).Select(k => (Balance?)new Balance(k * Gstd, (10 - k) * Gstd)).ToHashSet(), reports.ToHashSet());
    }

    private async Task<Balance?> BalanceAsync(string userId)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        return await fixture.Ledger.GetBalanceAsync(connection, userId, default);
    }
}
