using Npgsql;

namespace Gstd.Grains.Scheduling;

/// <summary>The sentinel's read-only checks, each one query.</summary>
public static class AuditStore
{
    private const int Sample = 100;

    /// <summary>Every transfer's entries sum to zero, so all of them together must.</summary>
    public static async Task<long> JournalSumAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT COALESCE(sum(amount), 0)::bigint FROM ledger_entries");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Tasks that ended (settled, refunded, dead-lettered, expired, cancelled) while an escrow of theirs still holds money.</summary>
    public static Task<IReadOnlyList<string>> TerminalHoldingEscrowAsync(NpgsqlDataSource dataSource, CancellationToken ct) => IdsAsync(dataSource, """
        SELECT DISTINCT t.id FROM ledger_accounts l JOIN tasks t ON t.id = l.task_id
        WHERE l.kind = 'escrow' AND l.balance <> 0
          AND t.status IN ('Settled', 'Refunded', 'DeadLettered', 'Expired', 'Cancelled')
        LIMIT @sample
        """, null, ct);

    /// <summary>
    /// Unfinished tasks and disputes with no deadline: nothing would ever wake them. A Disputed task waits for its
    /// dispute, which must have a deadline until the task has applied its decision; a disputed task without a
    /// dispute row would be frozen for good.
    /// </summary>
    public static Task<IReadOnlyList<string>> WithoutDeadlineAsync(NpgsqlDataSource dataSource, CancellationToken ct) => IdsAsync(dataSource, """
        (SELECT id FROM tasks
         WHERE status IN ('Queued', 'Assigned', 'Running', 'RetryWaiting', 'Verifying', 'Completed') AND due_at IS NULL
         LIMIT @sample)
        UNION ALL
        (SELECT id FROM disputes
         WHERE due_at IS NULL AND (status <> 'Resolved' OR NOT (body ->> 'applied')::boolean)
         LIMIT @sample)
        UNION ALL
        (SELECT t.id FROM tasks t
         WHERE t.status = 'Disputed' AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.task_id = t.id)
         LIMIT @sample)
        """, null, ct);

    /// <summary>Deadlines of tasks and disputes the sweepers should have handled by <paramref name="before"/>.</summary>
    public static Task<IReadOnlyList<string>> OverdueAsync(NpgsqlDataSource dataSource, DateTimeOffset before, CancellationToken ct) =>
        IdsAsync(dataSource, """
            (SELECT id FROM tasks WHERE due_at < @before ORDER BY due_at LIMIT @sample)
            UNION ALL
            (SELECT id FROM disputes WHERE due_at < @before ORDER BY due_at LIMIT @sample)
            """, before, ct);

    public static async Task<long> StaleOutboxAsync(NpgsqlDataSource dataSource, DateTimeOffset before, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM outbox WHERE created_at < @before");
        cmd.Parameters.AddWithValue("before", before);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Wakes the readers of partitions that hold stuck rows, wherever they are: each silo listens for this.</summary>
    public static async Task WakeStaleOutboxAsync(NpgsqlDataSource dataSource, DateTimeOffset before, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT pg_notify('gstd_outbox', p::text) FROM (SELECT DISTINCT partition AS p FROM outbox WHERE created_at < @before) AS stale");
        cmd.Parameters.AddWithValue("before", before);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(NpgsqlDataSource dataSource, string sql, DateTimeOffset? before, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("sample", Sample);
        if (before is { } at)
        {
            cmd.Parameters.AddWithValue("before", at);
        }

        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
