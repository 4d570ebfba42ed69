using System.Security.Cryptography;
using Gstd.Identity;
using Npgsql;

namespace Gstd.Grains.Accounts;

/// <summary>
/// Authenticates one key (keyed by its prefix) from a cached row, so a request costs a grain call and
/// no database read. Revocation and role changes invalidate the cache; a short lifetime bounds staleness
/// if an invalidation is ever lost.
/// </summary>
public sealed class ApiKeyGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IApiKeyGrain
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private ApiKeyRecord? _record;
    private DateTimeOffset _loadedAt;
    private DateTimeOffset _lastTouched = DateTimeOffset.MinValue;

    public async Task<Principal?> Authenticate(byte[] keyHash)
    {
        var now = time.GetUtcNow();
        if (_record is null || now - _loadedAt > CacheLifetime)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            _record = await AccountStore.FindKeyAsync(connection, this.GetPrimaryKeyString(), CancellationToken.None);
            _loadedAt = now;
        }

        var record = _record;
        if (record is null)
        {
            // Unknown prefixes must not pile up activations for anyone guessing keys.
            DeactivateOnIdle();
            return null;
        }

        if (record.Revoked || !CryptographicOperations.FixedTimeEquals(record.SecretHash, keyHash))
        {
            return null;
        }

        if (now - _lastTouched >= LastUsedResolution)
        {
            _lastTouched = now;
            await using var connection = await dataSource.OpenConnectionAsync();
            await AccountStore.TouchKeyAsync(connection, record.KeyId, now, CancellationToken.None);
        }

        return new Principal(record.AccountId, record.KeyId, record.Scope, record.Roles, record.WorkerRole);
    }

    public Task Invalidate()
    {
        _record = null;
        return Task.CompletedTask;
    }
}
