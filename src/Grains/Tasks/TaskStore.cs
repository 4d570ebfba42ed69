using System.Text.Json;
using Gstd.Grains.Storage;
using Gstd.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Tasks;

/// <summary>SQL for the tasks table.</summary>
public static class TaskStore
{
    private static JsonSerializerOptions Json => RowJson.Options;

    public static async Task<TaskRecord?> LoadAsync(NpgsqlConnection connection, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM tasks WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>Adds the new row to a batch of the submission's transaction.</summary>
    /// <summary>
    /// Adds inserting a new task unless its client already has <paramref name="maxWaiting"/> tasks waiting for a worker
    /// (Queued or RetryWaiting); once sent, the command affected no row when it had. Sent under the lock of the client's
    /// balance row (the hold's), so concurrent submissions of one client count each other.
    /// </summary>
    public static NpgsqlBatchCommand Insert(StatementBatch batch, TaskRecord task, int maxWaiting)
    {
        var cmd = batch.Add("""
            INSERT INTO tasks (id, client_id, version, status, module_id, input_id, price, fee, escrow_generation,
                               spec, body, due_at, created_at, updated_at)
            SELECT @id, @client, @version, @status, @module, @input, @price, @fee, @generation,
                   @spec, @body, @due, @created, @updated
            WHERE (SELECT count(*) FROM (SELECT 1 FROM tasks WHERE client_id = @client AND status IN ('Queued', 'RetryWaiting') LIMIT @most) waiting) < @most
            """);
        Bind(cmd.Parameters, task);
        cmd.Parameters.AddWithValue("most", maxWaiting);
        return cmd;
    }

    /// <summary>
    /// Adds writing the next state if the row is still at <paramref name="expectedVersion"/>; once sent, the command
    /// affected no row when another writer won.
    /// </summary>
    public static NpgsqlBatchCommand Update(StatementBatch batch, TaskRecord task, long expectedVersion)
    {
        var cmd = batch.Add("""
            UPDATE tasks SET version = @version, status = @status, escrow_generation = @generation, body = @body,
                             due_at = @due, updated_at = @updated
            WHERE id = @id AND version = @expected
            """);
        Bind(cmd.Parameters, task);
        cmd.Parameters.AddWithValue("expected", expectedVersion);
        return cmd;
    }

    /// <summary>A client's tasks, newest first, one page at a time.</summary>
    public static async Task<IReadOnlyList<TaskRecord>> ListAsync(NpgsqlConnection connection, string clientId, TaskQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns} FROM tasks
            WHERE client_id = @client
              AND (@statuses IS NULL OR status = ANY(@statuses))
              AND (@module IS NULL OR module_id = @module)
              AND (@from IS NULL OR created_at >= @from)
              AND (@to IS NULL OR created_at < @to)
              AND (@after_at IS NULL OR (created_at, id) < (@after_at, @after_id))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, connection);
        cmd.Parameters.AddWithValue("client", clientId);
        cmd.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = query.Statuses is { Count: > 0 } s ? s.Select(x => x.ToString()).ToArray() : DBNull.Value,
        });
        cmd.Parameters.Add(new NpgsqlParameter("module", NpgsqlDbType.Text) { Value = (object?)query.ModuleId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)query.From ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)query.To ?? DBNull.Value });
        return await PageAsync(cmd, query.After, query.Limit, ct);
    }

    /// <summary>Dead-lettered tasks of one client (all clients when null), most recently dead-lettered first.</summary>
    public static async Task<IReadOnlyList<TaskRecord>> DeadLettersAsync(NpgsqlConnection connection, string? clientId, DeadLetterQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns} FROM tasks
            WHERE status = 'DeadLettered'
              AND (@client IS NULL OR client_id = @client)
              AND (@reason IS NULL OR body -> 'reason' ->> 'code' = @reason)
              AND (@worker IS NULL OR body -> 'attempts' @> jsonb_build_array(jsonb_build_object('workerId', @worker)))
              AND (@from IS NULL OR updated_at >= @from)
              AND (@to IS NULL OR updated_at < @to)
              AND (@min_attempts IS NULL OR jsonb_array_length(body -> 'attempts') >= @min_attempts)
              AND (@after_at IS NULL OR (updated_at, id) < (@after_at, @after_id))
            ORDER BY updated_at DESC, id DESC
            LIMIT @limit
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter("client", NpgsqlDbType.Text) { Value = (object?)clientId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)query.Reason ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = (object?)query.WorkerId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)query.From ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)query.To ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("min_attempts", NpgsqlDbType.Integer) { Value = (object?)query.MinAttempts ?? DBNull.Value });
        return await PageAsync(cmd, query.After, query.Limit, ct);
    }

    /// <summary>Binds the page (<c>@after_at</c>, <c>@after_id</c>, one row more than <c>@limit</c> to tell if more follow) and reads it.</summary>
    private static async Task<IReadOnlyList<TaskRecord>> PageAsync(NpgsqlCommand cmd, TaskCursor? after, int limit, CancellationToken ct)
    {
        cmd.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz) { Value = (object?)after?.At ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Text) { Value = (object?)after?.Id ?? DBNull.Value });
        cmd.Parameters.AddWithValue("limit", limit + 1);
        var tasks = new List<TaskRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tasks.Add(Read(reader));
        }

        return tasks;
    }

    /// <summary>Tasks waiting for a worker, for a pool rebuilding itself.</summary>
    public static Task<IReadOnlyList<TaskRecord>> QueuedAsync(NpgsqlDataSource dataSource, CancellationToken ct) =>
        ReadManyAsync(dataSource, $"SELECT {Columns} FROM tasks WHERE status = 'Queued' ORDER BY created_at", null, ct);

    /// <summary>The tasks a worker holds an offer or a lease of, for a worker grain rebuilding its slots.</summary>
    public static Task<IReadOnlyList<TaskRecord>> HeldByAsync(NpgsqlDataSource dataSource, string workerId, CancellationToken ct) =>
        ReadManyAsync(dataSource, $"SELECT {Columns} FROM tasks WHERE status IN ('Assigned', 'Running') AND worker_id = @worker", workerId, ct);

    private static async Task<IReadOnlyList<TaskRecord>> ReadManyAsync(NpgsqlDataSource dataSource, string sql, string? worker, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        if (worker is not null)
        {
            cmd.Parameters.AddWithValue("worker", worker);
        }

        var tasks = new List<TaskRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tasks.Add(Read(reader));
        }

        return tasks;
    }

    private const string Columns =
        "id, client_id, version, status, module_id, input_id, price, fee, escrow_generation, spec, body, due_at, created_at, updated_at";

    private static void Bind(NpgsqlParameterCollection parameters, TaskRecord task)
    {
        parameters.AddWithValue("id", task.Id);
        parameters.AddWithValue("client", task.ClientId);
        parameters.AddWithValue("version", task.Version);
        parameters.AddWithValue("status", task.Status.ToString());
        parameters.AddWithValue("module", task.ModuleId);
        parameters.AddWithValue("input", task.InputId);
        parameters.AddWithValue("price", task.Price);
        parameters.AddWithValue("fee", task.Fee);
        parameters.AddWithValue("generation", task.EscrowGeneration);
        parameters.Add(new NpgsqlParameter("spec", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(task.Spec, Json) });
        parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(task.Body, Json) });
        parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.TimestampTz) { Value = (object?)task.DueAt ?? DBNull.Value });
        parameters.AddWithValue("created", task.CreatedAt);
        parameters.AddWithValue("updated", task.UpdatedAt);
    }

    private static TaskRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2),
        Enum.Parse<TaskState>(reader.GetString(3)),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetInt64(6),
        reader.GetInt64(7),
        reader.GetInt32(8),
        JsonSerializer.Deserialize<TaskSpec>(reader.GetString(9), Json)!,
        JsonSerializer.Deserialize<TaskBody>(reader.GetString(10), Json)!,
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
        reader.GetFieldValue<DateTimeOffset>(12),
        reader.GetFieldValue<DateTimeOffset>(13));
}
