using Gstd.Accounts;
using Gstd.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Accounts;

/// <summary>SQL for the accounts and api_keys tables.</summary>
public static class AccountStore
{
    public static async Task<bool> InsertAccountAsync(NpgsqlTransaction tx, AccountRecord account, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO accounts (id, name, roles, worker_role, created_at)
            VALUES (@id, @name, @roles, @worker, @at)
            ON CONFLICT (id) DO NOTHING
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", account.Id);
        cmd.Parameters.AddWithValue("name", account.Name);
        cmd.Parameters.AddWithValue("roles", (int)account.Roles);
        cmd.Parameters.Add(WorkerRoleParameter(account.WorkerRole));
        cmd.Parameters.AddWithValue("at", account.CreatedAt);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public static async Task<AccountRecord?> GetAccountAsync(NpgsqlConnection connection, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT name, roles, worker_role, created_at FROM accounts WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new AccountRecord(id, reader.GetString(0), (AccountRoles)reader.GetInt32(1),
            ParseWorkerRole(reader.IsDBNull(2) ? null : reader.GetString(2)), reader.GetFieldValue<DateTimeOffset>(3));
    }

    public static async Task SetWorkerRoleAsync(NpgsqlConnection connection, string id, WorkerRoleStatus status, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE accounts SET worker_role = @worker WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(WorkerRoleParameter(status));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task InsertKeyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, string accountId, ApiKeyView key, byte[] secretHash, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO api_keys (id, account_id, prefix, secret_hash, scope, created_at)
            VALUES (@id, @account, @prefix, @hash, @scope, @at)
            """, connection, tx);
        cmd.Parameters.AddWithValue("id", key.KeyId);
        cmd.Parameters.AddWithValue("account", accountId);
        cmd.Parameters.AddWithValue("prefix", key.Prefix);
        cmd.Parameters.AddWithValue("hash", secretHash);
        cmd.Parameters.AddWithValue("scope", key.Scope.ToString());
        cmd.Parameters.AddWithValue("at", key.CreatedAt);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<IReadOnlyList<ApiKeyView>> ListKeysAsync(NpgsqlConnection connection, string accountId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, prefix, scope, created_at, last_used_at FROM api_keys
            WHERE account_id = @account AND revoked_at IS NULL
            ORDER BY created_at, id
            """, connection);
        cmd.Parameters.AddWithValue("account", accountId);
        var keys = new List<ApiKeyView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(new ApiKeyView(reader.GetString(0), reader.GetString(1), Enum.Parse<KeyScope>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return keys;
    }

    /// <summary>Revokes one of the account's keys; answers its prefix, or null when the account has no such key.</summary>
    public static async Task<string?> RevokeKeyAsync(NpgsqlConnection connection, string accountId, string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now)
            WHERE id = @id AND account_id = @account
            RETURNING prefix
            """, connection);
        cmd.Parameters.AddWithValue("id", keyId);
        cmd.Parameters.AddWithValue("account", accountId);
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Disables the account once; answers when it was disabled, or null when there is no such account.</summary>
    public static async Task<DateTimeOffset?> DisableAsync(NpgsqlConnection connection, string accountId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE accounts SET disabled_at = COALESCE(disabled_at, @now) WHERE id = @account RETURNING disabled_at
            """, connection);
        cmd.Parameters.AddWithValue("account", accountId);
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteScalarAsync(ct) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Whether the key still opens the account: not revoked, and the account not disabled.</summary>
    public static async Task<bool> IsKeyActiveAsync(NpgsqlConnection connection, string accountId, string keyId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT 1 FROM api_keys k JOIN accounts a ON a.id = k.account_id
            WHERE k.id = @id AND k.account_id = @account AND k.revoked_at IS NULL AND a.disabled_at IS NULL
            """, connection);
        cmd.Parameters.AddWithValue("id", keyId);
        cmd.Parameters.AddWithValue("account", accountId);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public static async Task<IReadOnlyList<string>> ListKeyPrefixesAsync(NpgsqlConnection connection, string accountId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT prefix FROM api_keys WHERE account_id = @account", connection);
        cmd.Parameters.AddWithValue("account", accountId);
        var prefixes = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            prefixes.Add(reader.GetString(0));
        }

        return prefixes;
    }

    public static async Task<ApiKeyRecord?> FindKeyAsync(NpgsqlConnection connection, string prefix, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT k.id, k.account_id, k.secret_hash, k.scope, k.revoked_at IS NOT NULL OR a.disabled_at IS NOT NULL, a.roles, a.worker_role
            FROM api_keys k JOIN accounts a ON a.id = k.account_id
            WHERE k.prefix = @prefix
            """, connection);
        cmd.Parameters.AddWithValue("prefix", prefix);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new ApiKeyRecord(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2),
            Enum.Parse<KeyScope>(reader.GetString(3)), reader.GetBoolean(4), (AccountRoles)reader.GetInt32(5),
            ParseWorkerRole(reader.IsDBNull(6) ? null : reader.GetString(6)));
    }

    public static async Task TouchKeyAsync(NpgsqlConnection connection, string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE api_keys SET last_used_at = @now WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", keyId);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter WorkerRoleParameter(WorkerRoleStatus? status) =>
        new("worker", NpgsqlDbType.Text) { Value = status?.ToString() ?? (object)DBNull.Value };

    private static WorkerRoleStatus? ParseWorkerRole(string? value) =>
        value is null ? null : Enum.Parse<WorkerRoleStatus>(value);
}
