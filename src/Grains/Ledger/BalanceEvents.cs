using Gstd.Accounts;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Npgsql;

namespace Gstd.Grains.Ledger;

/// <summary>The <c>balance.changed</c> event, written to the account's topic in the transaction that moved its money.</summary>
public static class BalanceEvents
{
    /// <param name="delta">What the account's available balance moved by (signed nano); 0 when only its escrow moved.</param>
    public static async Task AppendAsync(
        NpgsqlTransaction tx, LedgerStore ledger, string accountId, long delta, string reason, string? taskId, string source, long version, DateTimeOffset at, CancellationToken ct)
    {
        var batch = new StatementBatch(tx);
        await AddAsync(batch, ledger, accountId, null, delta, reason, taskId, source, version, at, ct);
        await batch.ExecuteAsync(ct);
    }

    /// <summary>
    /// Adds the event to a batch of the transaction, with the balance as <paramref name="known"/> (read in the
    /// transfer's round trip) or read now (after the transfer) when not.
    /// </summary>
    public static async Task AddAsync(
        StatementBatch batch, LedgerStore ledger, string accountId, Balance? known, long delta, string reason, string? taskId, string source, long version, DateTimeOffset at, CancellationToken ct)
    {
        var balance = known ?? await ledger.GetBalanceAsync(batch.Transaction.Connection!, accountId, ct);
        Outbox.Add(batch, "account:" + accountId, "balance.changed", source, version, new
        {
            available = Money.Money.Format(balance?.Available ?? 0),
            escrow = Money.Money.Format(balance?.Escrow ?? 0),
            delta = Money.Money.FormatSigned(delta),
            reason,
            taskId,
        }, at);
    }
}
