using Gstd.Accounts;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Npgsql;

namespace Gstd.Grains.Ledger;

/// <summary>The <c>balance.changed</c> event, written to the account's topic in the transaction that moved its money.</summary>
public static class BalanceEvents
{
    /// <summary>Reads the balance now (after the transfer) and appends the event in the transaction.</summary>
    /// <param name="delta">What the account's available balance moved by (signed nano); 0 when only its escrow moved.</param>
    public static async Task AppendAsync(
        NpgsqlTransaction tx, LedgerStore ledger, string accountId, long delta, string reason, string? taskId, string source, long version, DateTimeOffset at, CancellationToken ct)
    {
        var batch = new StatementBatch(tx);
        Add(batch, accountId, await ledger.GetBalanceAsync(tx.Connection!, accountId, ct), delta, reason, taskId, source, version, at);
        await batch.ExecuteAsync(ct);
    }

    /// <summary>Adds the event with the <paramref name="balance"/> after the transfer to a batch of the transaction.</summary>
    public static void Add(
        StatementBatch batch, string accountId, Balance? balance, long delta, string reason, string? taskId, string source, long version, DateTimeOffset at) =>
        Outbox.Add(batch, "account:" + accountId, "balance.changed", source, version, new
        {
            available = Money.Money.Format(balance?.Available ?? 0),
            escrow = Money.Money.Format(balance?.Escrow ?? 0),
            delta = Money.Money.FormatSigned(delta),
            reason,
            taskId,
        }, at);
}
