using Gstd.Accounts;
using Gstd.Grains.Ledger;
using Gstd.Identity;
using Npgsql;

namespace Gstd.Grains.Accounts;

/// <summary>
/// Makes sure the admin account exists and that the configured admin key opens it. Runs at start-up
/// inside the migration lock, so concurrent silos cannot race it. A changed key replaces the old one.
/// </summary>
public static class AdminBootstrap
{
    public const string AdminAccountId = AccountIds.Admin;
    private const string BootstrapKeyIdPrefix = "key_bootstrap_";

    public static async Task EnsureAdminAsync(
        NpgsqlConnection connection, LedgerStore ledger, string adminKey, TimeProvider time, CancellationToken ct)
    {
        if (!ApiKey.TryGetPrefix(adminKey, out var prefix))
        {
            throw new InvalidOperationException("The admin API key is not a well-formed GSTD key (gstd_ followed by 43 base64url characters).");
        }

        var now = time.GetUtcNow();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await AccountStore.InsertAccountAsync(tx, new AccountRecord(AdminAccountId, "Administrator", AccountRoles.Admin, null, now), ct);
        await ledger.OpenUserAccountAsync(tx, AdminAccountId, ct);

        var existing = await AccountStore.FindKeyAsync(connection, prefix, ct);
        if (existing is not null && (existing.AccountId != AdminAccountId || !existing.SecretHash.AsSpan().SequenceEqual(ApiKey.Hash(adminKey))))
        {
            throw new InvalidOperationException("The configured admin API key collides with another key; choose a new one.");
        }

        await using (var revoke = new NpgsqlCommand("""
            UPDATE api_keys SET revoked_at = @now
            WHERE account_id = @admin AND id LIKE 'key_bootstrap_%' AND prefix <> @prefix AND revoked_at IS NULL
            """, connection, tx))
        {
            revoke.Parameters.AddWithValue("now", now);
            revoke.Parameters.AddWithValue("admin", AdminAccountId);
            revoke.Parameters.AddWithValue("prefix", prefix);
            await revoke.ExecuteNonQueryAsync(ct);
        }

        if (existing is null)
        {
            var view = new ApiKeyView(BootstrapKeyIdPrefix + prefix, prefix, KeyScope.Full, now, null);
            await AccountStore.InsertKeyAsync(connection, tx, AdminAccountId, view, ApiKey.Hash(adminKey), ct);
        }

        await tx.CommitAsync(ct);
    }
}
