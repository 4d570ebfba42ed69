using Gstd.Grains.Realtime;
using Gstd.Trust;
using Npgsql;

namespace Gstd.Grains.Trust;

/// <summary>SQL for trust: the evidence on the account row, its history, and the events for the account's workers.</summary>
public static class TrustStore
{
    /// <summary>
    /// Records one event for a worker account inside the caller's transaction (so it happens exactly when the
    /// task transition that caused it commits) and answers the new standing. A verified success extends the
    /// account's run of verified results; a wrong result or a lost dispute ends it.
    /// </summary>
    public static async Task<TrustStanding> RecordAsync(NpgsqlTransaction tx, TrustVerdict verdict, string? taskId, DateTimeOffset now, CancellationToken ct)
    {
        var (accountId, workerId, kind, verified) = verdict;
        var connection = tx.Connection!;
        TrustStanding current;
        await using (var read = new NpgsqlCommand(
            "SELECT trust_successes, trust_failures, trust_updated_at FROM accounts WHERE id = @account FOR NO KEY UPDATE", connection, tx))
        {
            read.Parameters.AddWithValue("account", accountId);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Account {accountId} does not exist.");
            }

            current = new TrustStanding(reader.GetDouble(0), reader.GetDouble(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        var next = TrustModel.Apply(current, kind, now);
        var score = TrustModel.Score(next);
        await using var write = new NpgsqlCommand("""
            WITH updated AS (
                UPDATE accounts SET trust_successes = @successes, trust_failures = @failures, trust_updated_at = @at, trust = @trust,
                    verified_streak = CASE WHEN @event IN ('InvalidResult', 'LostDispute') THEN 0
                                           WHEN @verified THEN verified_streak + 1 ELSE verified_streak END
                WHERE id = @account
            )
            INSERT INTO trust_history (account_id, worker_id, task_id, event, trust, at)
            VALUES (@account, @worker, @task, @event, @trust, @at)
            RETURNING id
            """, connection, tx);
        write.Parameters.AddWithValue("account", accountId);
        write.Parameters.AddWithValue("successes", next.Successes);
        write.Parameters.AddWithValue("failures", next.Failures);
        write.Parameters.AddWithValue("at", now);
        write.Parameters.AddWithValue("trust", score);
        write.Parameters.AddWithValue("worker", (object?)workerId ?? DBNull.Value);
        write.Parameters.AddWithValue("task", (object?)taskId ?? DBNull.Value);
        write.Parameters.AddWithValue("event", kind.ToString());
        write.Parameters.AddWithValue("verified", verified);
        var historyId = (long)(await write.ExecuteScalarAsync(ct))!;

        foreach (var worker in await WorkerIdsAsync(tx, accountId, ct))
        {
            await Outbox.AppendAsync(tx, "worker:" + worker, "worker.trust_changed", "trust:" + accountId, historyId,
                new { workerId = worker, trust = score, @event = TrustEvents.Name(kind), taskId, causedBy = workerId }, now, ct);
        }

        return next;
    }

    /// <summary>How many results in a row of the account's were verified.</summary>
    public static async Task<int> VerifiedStreakAsync(NpgsqlDataSource dataSource, string accountId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT verified_streak FROM accounts WHERE id = @account");
        cmd.Parameters.AddWithValue("account", accountId);
        return await cmd.ExecuteScalarAsync(ct) is int streak ? streak : 0;
    }

    /// <summary>The account's most recent trust changes, newest first.</summary>
    public static async Task<IReadOnlyList<TrustChange>> RecentAsync(NpgsqlDataSource dataSource, string accountId, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT at, event, task_id, worker_id, trust FROM trust_history WHERE account_id = @account ORDER BY id DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("account", accountId);
        cmd.Parameters.AddWithValue("limit", limit);
        var changes = new List<TrustChange>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            changes.Add(new TrustChange(
                reader.GetFieldValue<DateTimeOffset>(0), Enum.Parse<TrustEvent>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDouble(4)));
        }

        return changes;
    }

    private static async Task<IReadOnlyList<string>> WorkerIdsAsync(NpgsqlTransaction tx, string accountId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT id FROM workers WHERE account_id = @account", tx.Connection, tx);
        cmd.Parameters.AddWithValue("account", accountId);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
