using Gstd.Content;
using Gstd.Grains.Storage;
using Npgsql;

namespace Gstd.Grains.Content;

/// <summary>SQL for the blobs and blob_grants tables.</summary>
public static class ContentStore
{
    /// <summary>Stores the bytes if new and grants them; true when the grant is new.</summary>
    /// <summary>
    /// An upload: stores the bytes and grants them to the account unless that would take what the account holds past
    /// <paramref name="quotaBytes"/> (each piece of content it may read counted once, uploads and inline inputs alike).
    /// Uploads of one account are serialized by a lock, so two at once cannot both fit the same room.
    /// </summary>
    public static async Task<UploadStatus> UploadAsync(
        NpgsqlDataSource dataSource, string id, byte[] bytes, ContentKind kind, string accountId, long quotaBytes, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var held = new NpgsqlCommand("""
            SELECT pg_advisory_xact_lock(hashtextextended('upload:' || @account, 0));
            SELECT coalesce(sum(size), 0), bool_or(id = @id) FROM blobs
            WHERE id IN (SELECT blob_id FROM blob_grants WHERE account_id = @account)
            """, connection, tx))
        {
            held.Parameters.AddWithValue("account", accountId);
            held.Parameters.AddWithValue("id", id);
            await using var reader = await held.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var stored = reader.GetInt64(0);
            var holdsIt = !reader.IsDBNull(1) && reader.GetBoolean(1);
            if (!holdsIt && stored + bytes.Length > quotaBytes)
            {
                return UploadStatus.OverQuota;
            }
        }

        var batch = new StatementBatch(tx);
        var grant = StoreAndGrant(batch, id, bytes, kind, accountId, now);
        await batch.ExecuteAsync(ct);
        await tx.CommitAsync(ct);
        return grant.RecordsAffected == 1 ? UploadStatus.Created : UploadStatus.AlreadyOwned;
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
