using Gstd.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Ledger;

/// <summary>Reads of the journal for a user: its lines page by page and a client's spend per bucket.</summary>
public static class LedgerHistory
{
    /// <summary>A user's journal lines, newest first, one page at a time.</summary>
    public static async Task<LedgerPage> GetEntriesAsync(NpgsqlConnection connection, string userId, LedgerQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT e.id, e.at, e.amount, t.kind, t.task_id, e.transfer_key
            FROM ledger_entries e
            JOIN ledger_transfers t ON t.key = e.transfer_key
            WHERE e.account = @account
              AND (@from IS NULL OR e.at >= @from)
              AND (@to IS NULL OR e.at < @to)
              AND (@before IS NULL OR e.id < @before)
            ORDER BY e.id DESC
            LIMIT @limit
            """, connection);
        cmd.Parameters.AddWithValue("account", LedgerAccounts.Available(userId));
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)query.From ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)query.To ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)query.BeforeId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("limit", query.Limit + 1);
        var items = new List<LedgerEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new LedgerEntry(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5)));
        }

        if (items.Count <= query.Limit)
        {
            return new LedgerPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new LedgerPage(items, items[^1].Id);
    }

    /// <summary>
    /// A client's spend per bucket, read from the journal: per transfer, what went into the client's escrow accounts
    /// is held; what left them and came back to the client's available balance is refunded; the rest of what left
    /// (workers' pay and fees) is spent.
    /// </summary>
    public static async Task<IReadOnlyList<SpendBucket>> GetSpendAsync(NpgsqlConnection connection, string clientId, SpendQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH lines AS (
                SELECT e.transfer_key, e.at, e.amount, e.account = @available AS to_client
                FROM ledger_entries e
                WHERE e.at >= @from AND e.at < @to
                  AND (e.account = @available
                       OR e.account IN (SELECT id FROM ledger_accounts WHERE owner_id = @client AND kind = 'escrow'))
            ), transfers AS (
                SELECT date_bin(@width, min(at), timestamptz '2000-01-01 00:00:00+00') AS bucket,
                       COALESCE(sum(amount) FILTER (WHERE NOT to_client AND amount > 0), 0) AS held,
                       COALESCE(-sum(amount) FILTER (WHERE NOT to_client AND amount < 0), 0) AS released,
                       COALESCE(sum(amount) FILTER (WHERE to_client AND amount > 0), 0) AS returned
                FROM lines
                GROUP BY transfer_key
            )
            SELECT b.start,
                   COALESCE(sum(t.released - t.returned) FILTER (WHERE t.released > 0), 0)::bigint,
                   COALESCE(sum(t.returned) FILTER (WHERE t.released > 0), 0)::bigint,
                   COALESCE(sum(t.held), 0)::bigint
            FROM generate_series(@from, @to - @width, @width) AS b(start)
            LEFT JOIN transfers t ON t.bucket = b.start
            GROUP BY b.start
            ORDER BY b.start
            """, connection);
        cmd.Parameters.AddWithValue("client", clientId);
        cmd.Parameters.AddWithValue("available", LedgerAccounts.Available(clientId));
        cmd.Parameters.AddWithValue("from", query.From);
        cmd.Parameters.AddWithValue("to", query.To);
        cmd.Parameters.AddWithValue("width", SpendBuckets.Length(query.Width));
        var buckets = new List<SpendBucket>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            buckets.Add(new SpendBucket(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return buckets;
    }
}
