using Gstd.Grains.Storage;
using Gstd.Tasks;
using Gstd.Trust;
using Gstd.Workers;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Workers;

/// <summary>SQL for the workers table.</summary>
public static class WorkerStore
{
    private const string Select = """
        SELECT w.id, w.account_id, w.public_key, w.name, w.capabilities, w.capacity, w.lat, w.lon, w.status, a.trust_successes, a.trust_failures, a.trust_updated_at, w.created_at
        FROM workers w JOIN accounts a ON a.id = w.account_id
        """;

    /// <summary>Inserts the worker unless its public key is registered already; true when inserted.</summary>
    public static async Task<bool> InsertAsync(NpgsqlDataSource dataSource, WorkerRecord worker, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO workers (id, account_id, public_key, name, capabilities, capacity, lat, lon, status, created_at)
            VALUES (@id, @account, @key, @name, @capabilities, @capacity, @lat, @lon, @status, @created)
            ON CONFLICT (public_key) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("id", worker.Id);
        cmd.Parameters.AddWithValue("account", worker.AccountId);
        cmd.Parameters.AddWithValue("key", worker.PublicKey);
        cmd.Parameters.AddWithValue("name", worker.Name);
        cmd.Parameters.AddWithValue("capabilities", worker.Capabilities.ToArray());
        cmd.Parameters.AddWithValue("capacity", worker.Capacity);
        cmd.Parameters.Add(new NpgsqlParameter("lat", NpgsqlDbType.Integer) { Value = (object?)worker.Location?.Lat ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("lon", NpgsqlDbType.Integer) { Value = (object?)worker.Location?.Lon ?? DBNull.Value });
        cmd.Parameters.AddWithValue("status", worker.Status.ToString());
        cmd.Parameters.AddWithValue("created", worker.CreatedAt);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public static Task<WorkerRecord?> GetAsync(NpgsqlDataSource dataSource, string id, CancellationToken ct) =>
        SingleAsync(dataSource, Select + " WHERE w.id = @value", id, ct);

    public static Task<WorkerRecord?> GetByKeyAsync(NpgsqlDataSource dataSource, byte[] publicKey, CancellationToken ct) =>
        SingleAsync(dataSource, Select + " WHERE w.public_key = @value", publicKey, ct);

    public static async Task<IReadOnlyList<WorkerRecord>> ListAsync(NpgsqlDataSource dataSource, string accountId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Select + " WHERE w.account_id = @account ORDER BY w.created_at, w.id");
        cmd.Parameters.AddWithValue("account", accountId);
        var workers = new List<WorkerRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            workers.Add(Read(reader));
        }

        return workers;
    }

    public static async Task SetStatusAsync(NpgsqlDataSource dataSource, string id, WorkerStatus status, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE workers SET status = @status WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("status", status.ToString());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Tasks whose result this worker delivered (the one the task kept), how many of them settled, and what those
    /// paid it: its part of the escrow's payout to workers, which a split or replicas share.
    /// </summary>
    public static async Task<(long Completed, long Settled, long Earned)> TotalsAsync(NpgsqlDataSource dataSource, string id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE status = 'Settled'),
                   COALESCE(sum(COALESCE((body -> 'escrow' ->> 'toWorker')::bigint, 0)
                                / GREATEST(jsonb_array_length(COALESCE(body -> 'payees', '[1]'::jsonb)), 1)) FILTER (WHERE status = 'Settled'), 0)::bigint
            FROM tasks WHERE worker_id = @id AND status IN ('Completed', 'Disputed', 'Settled')
            """);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public static async Task SetCapacityAsync(NpgsqlDataSource dataSource, string id, int capacity, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE workers SET capacity = @capacity WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("capacity", capacity);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Adds the capacity fence of an assignment to its transaction's batch, before the lease it guards: locks the
    /// worker's row, then counts its leases in a fresh snapshot, so two assignments to one worker are decided one
    /// after the other and each sees the other's lease. The check, read once the batch ran, holds when the worker
    /// exists, is active and had a free slot. The count is its own statement, so its snapshot is taken once the
    /// lock is granted.
    /// </summary>
    public static Func<bool> AddFreeSlotCheck(StatementBatch batch, string workerId)
    {
        var locked = batch.Add("SELECT 1 FROM workers WHERE id = @worker AND status = 'Active' FOR NO KEY UPDATE");
        locked.Parameters.AddWithValue("worker", workerId);
        var free = batch.Add("""
            SELECT 1 FROM workers
            WHERE id = @worker AND capacity > (SELECT count(*) FROM tasks WHERE worker_id = @worker AND status IN ('Assigned', 'Running'))
            """);
        free.Parameters.AddWithValue("worker", workerId);
        return () => locked.Rows == 1 && free.Rows == 1;
    }

    private static async Task<WorkerRecord?> SingleAsync<T>(NpgsqlDataSource dataSource, string sql, T value, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("value", value!);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static WorkerRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetFieldValue<byte[]>(2),
        reader.GetString(3),
        reader.GetFieldValue<string[]>(4),
        reader.GetInt32(5),
        reader.IsDBNull(6) ? null : new GeoCell(reader.GetInt32(6), reader.GetInt32(7)),
        Enum.Parse<WorkerStatus>(reader.GetString(8)),
        new TrustStanding(reader.GetDouble(9), reader.GetDouble(10), reader.GetFieldValue<DateTimeOffset>(11)),
        reader.GetFieldValue<DateTimeOffset>(12));
}
