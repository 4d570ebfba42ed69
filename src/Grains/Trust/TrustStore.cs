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
    public static Task<TrustStanding> RecordAsync(NpgsqlTransaction tx, TrustVerdict verdict, string? taskId, DateTimeOffset now, CancellationToken ct) =>
        RecordAsync(tx, verdict.AccountId, [(verdict, taskId)], now, ct);

    /// <summary>
    /// Records events of one account in order under one lock of its row: its evidence, its run of verified results,
    /// a history line each, and one <c>worker.trust_changed</c> per worker of the account with where trust ended.
    /// </summary>
    public static async Task<TrustStanding> RecordAsync(
        NpgsqlTransaction tx, string accountId, IReadOnlyList<(TrustVerdict Verdict, string? TaskId)> events, DateTimeOffset now, CancellationToken ct)
    {
        var connection = tx.Connection!;
        TrustStanding standing;
        int streak;
        await using (var read = new NpgsqlCommand(
            "SELECT trust_successes, trust_failures, trust_updated_at, verified_streak FROM accounts WHERE id = @account FOR NO KEY UPDATE", connection, tx))
        {
            read.Parameters.AddWithValue("account", accountId);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Account {accountId} does not exist.");
            }

            standing = new TrustStanding(reader.GetDouble(0), reader.GetDouble(1), reader.GetFieldValue<DateTimeOffset>(2));
            streak = reader.GetInt32(3);
        }

        var scores = new double[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (_, _, kind, verified) = events[i].Verdict;
            standing = TrustModel.Apply(standing, kind, now);
            scores[i] = TrustModel.Score(standing);
            streak = kind is TrustEvent.InvalidResult or TrustEvent.LostDispute ? 0 : verified ? streak + 1 : streak;
        }

        await using var write = new NpgsqlCommand("""
            WITH updated AS (
                UPDATE accounts SET trust_successes = @successes, trust_failures = @failures, trust_updated_at = @at,
                                    trust = @trust, verified_streak = @streak
                WHERE id = @account
            ), inserted AS (
                INSERT INTO trust_history (account_id, worker_id, task_id, event, trust, at)
                SELECT @account, h.worker, h.task, h.event, h.trust, @at FROM unnest(@workers, @tasks, @events, @scores) AS h(worker, task, event, trust)
                RETURNING id
            )
            SELECT max(id) FROM inserted
            """, connection, tx);
        write.Parameters.AddWithValue("account", accountId);
        write.Parameters.AddWithValue("successes", standing.Successes);
        write.Parameters.AddWithValue("failures", standing.Failures);
        write.Parameters.AddWithValue("at", now);
        write.Parameters.AddWithValue("trust", scores[^1]);
        write.Parameters.AddWithValue("streak", streak);
        write.Parameters.AddWithValue("workers", events.Select(e => (string?)e.Verdict.WorkerId).ToArray());
        write.Parameters.AddWithValue("tasks", events.Select(e => e.TaskId).ToArray());
        write.Parameters.AddWithValue("events", events.Select(e => e.Verdict.Kind.ToString()).ToArray());
        write.Parameters.AddWithValue("scores", scores);
        var historyId = (long)(await write.ExecuteScalarAsync(ct))!;

        var (last, lastTask) = events[^1];
        foreach (var worker in await WorkerIdsAsync(tx, accountId, ct))
        {
            await Outbox.AppendAsync(tx, "worker:" + worker, "worker.trust_changed", "trust:" + accountId, historyId,
                new { workerId = worker, trust = scores[^1], @event = TrustEvents.Name(last.Kind), taskId = lastTask, causedBy = last.WorkerId }, now, ct);
        }

        return standing;
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
