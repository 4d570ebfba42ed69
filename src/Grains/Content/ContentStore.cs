using Gstd.Content;
using Gstd.Grains.Storage;
using Npgsql;

namespace Gstd.Grains.Content;

/// <summary>SQL for the blobs and blob_grants tables.</summary>
public static class ContentStore
{
    /// <summary>Stores the bytes if new and grants them; true when the grant is new.</summary>
    public static async Task<bool> StoreAndGrantAsync(
        NpgsqlDataSource dataSource, string id, byte[] bytes, ContentKind kind, string accountId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var batch = new StatementBatch(tx);
        var grant = StoreAndGrant(batch, id, bytes, kind, accountId, now);
        await batch.ExecuteAsync(ct);
        await tx.CommitAsync(ct);
        return grant.RecordsAffected == 1;
    }

    /// <summary>
    /// Adds storing the bytes (if new) and granting them to a batch of the caller's transaction (a task's, with the
    /// change that needs them); the grant's command says, once sent, whether the grant is new.
    /// </summary>
    public static NpgsqlBatchCommand StoreAndGrant(StatementBatch batch, string id, byte[] bytes, ContentKind kind, string accountId, DateTimeOffset now)
    {
        var store = batch.Add("""
            INSERT INTO blobs (id, size, content, created_at) VALUES (@id, @size, @content, @now)
            ON CONFLICT (id) DO NOTHING
            """);
        store.Parameters.AddWithValue("id", id);
        store.Parameters.AddWithValue("size", bytes.Length);
        store.Parameters.AddWithValue("content", bytes);
        store.Parameters.AddWithValue("now", now);
        var grant = batch.Add("""
            INSERT INTO blob_grants (blob_id, account_id, kind, created_at) VALUES (@id, @account, @kind, @now)
            ON CONFLICT DO NOTHING
            """);
        grant.Parameters.AddWithValue("id", id);
        grant.Parameters.AddWithValue("account", accountId);
        grant.Parameters.AddWithValue("kind", kind.ToString());
        grant.Parameters.AddWithValue("now", now);
        return grant;
    }

    /// <summary>The bytes when the account holds a grant of that kind (or is an admin and any grant exists).</summary>
    public static async Task<byte[]?> ReadAsync(
        NpgsqlDataSource dataSource, string id, ContentKind kind, string accountId, bool isAdmin, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT b.content FROM blobs b
            WHERE b.id = @id AND EXISTS (
                SELECT 1 FROM blob_grants g
                WHERE g.blob_id = b.id AND g.kind = @kind AND (@admin OR g.account_id = @account))
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        cmd.Parameters.AddWithValue("account", accountId);
        cmd.Parameters.AddWithValue("admin", isAdmin);
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Whether the account may use the content as the given kind.</summary>
    public static async Task<bool> IsGrantedAsync(NpgsqlDataSource dataSource, string id, ContentKind kind, string accountId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM blob_grants WHERE blob_id = @id AND kind = @kind AND account_id = @account)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", kind.ToString());
        cmd.Parameters.AddWithValue("account", accountId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<byte[]?> ReadAnyAsync(NpgsqlDataSource dataSource, string id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT content FROM blobs WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) as byte[];
    }
}
