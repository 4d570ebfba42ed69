using System.Text.Json;
using Gstd.Disputes;
using Gstd.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Disputes;

/// <summary>SQL for the disputes table.</summary>
public static class DisputeStore
{
    private const string Columns =
        "id, task_id, client_id, worker_id, worker_accounts, version, status, reason, arbitrate_by, body, due_at, created_at, updated_at";

    public static async Task<DisputeRecord?> LoadAsync(NpgsqlConnection connection, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM disputes WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public static async Task InsertAsync(NpgsqlTransaction tx, DisputeRecord dispute, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO disputes ({Columns})
            VALUES (@id, @task, @client, @worker, @worker_account, @version, @status, @reason, @arbitrate_by, @body, @due, @created, @updated)
            """, tx.Connection, tx);
        Bind(cmd, dispute);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes the next state if the row is still at <paramref name="expectedVersion"/>; false when another writer won.</summary>
    public static async Task<bool> UpdateAsync(NpgsqlTransaction tx, DisputeRecord dispute, long expectedVersion, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE disputes SET version = @version, status = @status, arbitrate_by = @arbitrate_by, body = @body,
                                due_at = @due, updated_at = @updated
            WHERE id = @id AND version = @expected
            """, tx.Connection, tx);
        Bind(cmd, dispute);
        cmd.Parameters.AddWithValue("expected", expectedVersion);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Disputes the account is party to (as client or as the worker's owner; all when null), newest first.</summary>
    public static async Task<IReadOnlyList<DisputeRecord>> ListAsync(NpgsqlConnection connection, string? accountId, DisputeQuery query, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns} FROM disputes
            WHERE (@account IS NULL OR client_id = @account OR worker_accounts @> ARRAY[@account])
              AND (@statuses IS NULL OR status = ANY(@statuses))
              AND (@after_at IS NULL OR (created_at, id) < (@after_at, @after_id))
            ORDER BY created_at DESC, id DESC
            LIMIT @limit
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = (object?)accountId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = query.Statuses is { Count: > 0 } s ? s.Select(x => x.ToString()).ToArray() : DBNull.Value,
        });
        cmd.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz) { Value = (object?)query.After?.At ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Text) { Value = (object?)query.After?.Id ?? DBNull.Value });
        cmd.Parameters.AddWithValue("limit", query.Limit + 1);
        var disputes = new List<DisputeRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            disputes.Add(Read(reader));
        }

        return disputes;
    }

    /// <summary>
    /// Whether the client may open one more dispute, inside the opening transaction: the client's account row is
    /// locked first, so two openings for one client count one after the other and never both take the last place.
    /// </summary>
    public static async Task<bool> HasRoomAsync(NpgsqlTransaction tx, string clientId, int maxOpen, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM disputes WHERE client_id = @client AND status <> 'Resolved') < @max
            FROM accounts WHERE id = @client FOR NO KEY UPDATE
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("client", clientId);
        cmd.Parameters.AddWithValue("max", (long)maxOpen);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }

    private static void Bind(NpgsqlCommand cmd, DisputeRecord dispute)
    {
        cmd.Parameters.AddWithValue("id", dispute.Id);
        cmd.Parameters.AddWithValue("task", dispute.TaskId);
        cmd.Parameters.AddWithValue("client", dispute.ClientId);
        cmd.Parameters.AddWithValue("worker", dispute.WorkerId);
        cmd.Parameters.AddWithValue("worker_account", dispute.WorkerAccounts.ToArray());
        cmd.Parameters.AddWithValue("version", dispute.Version);
        cmd.Parameters.AddWithValue("status", dispute.Status.ToString());
        cmd.Parameters.AddWithValue("reason", dispute.Reason.ToString());
        cmd.Parameters.Add(new NpgsqlParameter("arbitrate_by", NpgsqlDbType.TimestampTz) { Value = (object?)dispute.ArbitrateBy ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(dispute.Body, RowJson.Options) });
        cmd.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.TimestampTz) { Value = (object?)dispute.DueAt ?? DBNull.Value });
        cmd.Parameters.AddWithValue("created", dispute.CreatedAt);
        cmd.Parameters.AddWithValue("updated", dispute.UpdatedAt);
    }

    private static DisputeRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<string[]>(4),
        reader.GetInt64(5),
        Enum.Parse<DisputeStatus>(reader.GetString(6)),
        Enum.Parse<DisputeReason>(reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        JsonSerializer.Deserialize<DisputeBody>(reader.GetString(9), RowJson.Options)!,
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.GetFieldValue<DateTimeOffset>(11),
        reader.GetFieldValue<DateTimeOffset>(12));
}
