using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Gstd.Bench.Chaos;

/// <summary>What the run left in the database, checked against the invariants, and the timings it shows.</summary>
public sealed record ChaosReport(
    int Tasks,
    int Lost,
    long DoubleSettled,
    long LedgerSum,
    int DeadLettered,
    IReadOnlyDictionary<string, int> DeadLetterReasons,
    int Settled,
    int SucceededAfterFailure,
    long UnearnedPayouts,
    int UnsettledWork,
    long EscrowMismatches,
    IReadOnlyList<double> ReassignAfterSiloMs,
    IReadOnlyList<double> ReassignAfterAgentMs,
    IReadOnlyList<IReadOnlyList<double>> RetryDelaysMs,
    IReadOnlyList<double> DeathDetectionMs,
    int FalseDeaths,
    IReadOnlyDictionary<bool, string> SlowestReassign,
    IReadOnlyList<double> EchoAttemptMs)
{
    private static readonly string[] Terminal = ["Settled", "Refunded", "DeadLettered", "Expired", "Cancelled"];

    public bool Holds => Lost == 0 && DoubleSettled == 0 && LedgerSum == 0 && UnearnedPayouts == 0 && UnsettledWork == 0 && EscrowMismatches == 0 && FalseDeaths == 0;

    public IEnumerable<double> ReassignMs => ReassignAfterSiloMs.Concat(ReassignAfterAgentMs);

    public static async Task<int> UnfinishedAsync(NpgsqlDataSource db, IReadOnlyCollection<string> ids)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM tasks WHERE id = ANY(@ids) AND status <> ALL(@terminal)");
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        cmd.Parameters.AddWithValue("terminal", Terminal);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <param name="kinds">Each submitted task's id and the kind of work it is (echo, countdown, trap).</param>
    public static async Task<ChaosReport> MeasureAsync(NpgsqlDataSource db, IReadOnlyDictionary<string, string> kinds, IReadOnlyList<Kill> kills, MembershipWatcher membership)
    {
        var ids = kinds.Keys.ToList();
        var tasks = new Dictionary<string, (string Status, JsonElement Body)>(StringComparer.Ordinal);
        await using (var cmd = db.CreateCommand("SELECT id, status, body::text FROM tasks WHERE id = ANY(@ids)"))
        {
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tasks[reader.GetString(0)] = (reader.GetString(1), JsonDocument.Parse(reader.GetString(2)).RootElement.Clone());
            }
        }

        var lost = ids.Count(id => !tasks.TryGetValue(id, out var task) || !Terminal.Contains(task.Status));
        var attempts = tasks.ToDictionary(t => t.Key, t => t.Value.Body.GetProperty("attempts").EnumerateArray().ToList(), StringComparer.Ordinal);

        // Paid only for work done: a settled task's last attempt succeeded, on the worker whose result it holds.
        var unpaidSettled = tasks.Count(t => t.Value.Status == "Settled" && !(
            attempts[t.Key] is [.., var last] && last.GetProperty("outcome").GetString() == "Succeeded"
            && last.GetProperty("workerId").GetString() == t.Value.Body.GetProperty("result").GetProperty("workerId").GetString()));

        var reassignSilo = new List<double>();
        var reassignAgent = new List<double>();
        var slowest = new Dictionary<bool, (double Ms, string Id, string Kill)>();
        var counted = new HashSet<(string, int)>();
        foreach (var kill in kills)
        {
            foreach (var (id, had) in kill.InFlight)
            {
                // Affected: the attempt running at the kill was lost with its worker and another one followed.
                if (attempts.TryGetValue(id, out var list) && list.Count > had && list[had - 1].GetProperty("outcome").GetString() == "WorkerLost"
                    && counted.Add((id, had)))
                {
                    var ms = (list[had].GetProperty("startedAt").GetDateTimeOffset() - kill.At).TotalMilliseconds;
                    (kill.IsSilo ? reassignSilo : reassignAgent).Add(ms);
                    if (ms > slowest.GetValueOrDefault(kill.IsSilo).Ms)
                    {
                        slowest[kill.IsSilo] = (ms, id, $"{kill.Target} at {kill.At:HH:mm:ss.fff}");
                    }
                }
            }
        }

        // Retry delays: from a failed attempt's end to the next attempt's start, by how many failures came before.
        var retries = new List<List<double>> { new(), new(), new() };
        foreach (var list in attempts.Values)
        {
            var failures = 0;
            for (var i = 0; i + 1 < list.Count; i++)
            {
                if (list[i].GetProperty("outcome").GetString() == "Failed" && ++failures <= retries.Count)
                {
                    retries[failures - 1].Add((list[i + 1].GetProperty("startedAt").GetDateTimeOffset() - list[i].GetProperty("endedAt").GetDateTimeOffset()).TotalMilliseconds);
                }
            }
        }

        var siloKills = kills.Where(k => k.Silo is not null).ToDictionary(k => k.Silo!.Value, k => k.At);
        var detection = siloKills.Where(k => membership.DeadSince.ContainsKey(k.Key)).Select(k => (membership.DeadSince[k.Key] - k.Value).TotalMilliseconds).ToList();
        var falseDeaths = membership.Faulted ? throw new InvalidOperationException("The membership watcher failed: false deaths are unknown.")
            : membership.DeadSince.Keys.Count(k => !siloKills.ContainsKey(k));

        return new ChaosReport(
            ids.Count,
            lost,
            await ScalarAsync(db, "SELECT count(*) FROM (SELECT task_id FROM ledger_transfers WHERE kind IN ('release', 'refund', 'decision') GROUP BY task_id HAVING count(*) > 1) twice"),
            await ScalarAsync(db, "SELECT COALESCE(sum(amount), 0) FROM ledger_entries"),
            tasks.Count(t => t.Value.Status == "DeadLettered"),
            tasks.Where(t => t.Value.Status == "DeadLettered")
                .GroupBy(t => $"{kinds[t.Key]} {t.Value.Body.GetProperty("reason").GetProperty("code").GetString()}")
                .ToDictionary(g => g.Key, g => g.Count()),
            tasks.Count(t => t.Value.Status == "Settled"),
            tasks.Count(t => t.Value.Status == "Settled" && attempts[t.Key].Any(a => a.GetProperty("outcome").GetString() == "Failed")),
            unpaidSettled + await ScalarAsync(db, """
                SELECT count(*) FROM ledger_entries e
                JOIN ledger_transfers x ON x.key = e.transfer_key AND x.kind = 'release'
                JOIN tasks t ON t.id = x.task_id
                LEFT JOIN workers w ON w.id = t.body -> 'result' ->> 'workerId'
                WHERE e.amount > 0 AND e.account LIKE 'user:%' AND e.account IS DISTINCT FROM 'user:' || w.account_id || ':available'
                """),
            // Every task but the always-failing ones must have been worked and paid for.
            tasks.Count(t => kinds[t.Key] != "trap" && t.Value.Status != "Settled"),
            // A settled task's escrow was released once and never refunded; any other ended task's refunded once, never released.
            await ScalarAsync(db, """
                SELECT count(*) FROM tasks t
                WHERE t.id = ANY(@ids) AND (
                    (SELECT count(*) FILTER (WHERE x.kind = 'release') FROM ledger_transfers x WHERE x.task_id = t.id) <> CASE WHEN t.status = 'Settled' THEN 1 ELSE 0 END
                 OR (SELECT count(*) FILTER (WHERE x.kind = 'refund') FROM ledger_transfers x WHERE x.task_id = t.id) <> CASE WHEN t.status = 'Settled' THEN 0 ELSE 1 END)
                """, ids),
            reassignSilo,
            reassignAgent,
            retries,
            detection,
            falseDeaths,
            // The attempts of the task that waited longest for its next worker after a kill: where the time went.
            slowest.ToDictionary(s => s.Key, s => Timeline(s.Value.Id, s.Value.Kill, attempts[s.Value.Id])),
            // An echo runs in well under a millisecond: its attempt's length is the offer's way to the agent, the accept and the result.
            [.. attempts.Where(t => kinds[t.Key] == "echo").SelectMany(t => t.Value)
                .Where(a => a.GetProperty("outcome").GetString() == "Succeeded")
                .Select(a => (a.GetProperty("endedAt").GetDateTimeOffset() - a.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds)]);
    }

    /// <summary>A task's attempts (worker, start–end, outcome, error code) after the kill it waited out.</summary>
    private static string Timeline(string id, string kill, IReadOnlyList<JsonElement> attempts) =>
        $"{id} after {kill}: " + string.Join("; ", attempts.Select(a =>
            $"{a.GetProperty("workerId").GetString()} {a.GetProperty("startedAt").GetDateTimeOffset():HH:mm:ss.fff}-{(a.TryGetProperty("endedAt", out var end) && end.ValueKind == JsonValueKind.String ? end.GetDateTimeOffset().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "")} {(a.TryGetProperty("outcome", out var o) ? o.ToString() : "")} {(a.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error.GetProperty("code").GetString() : "")}"));

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, IReadOnlyCollection<string>? ids = null)
    {
        await using var cmd = db.CreateCommand(sql);
        if (ids is not null)
        {
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
