using Gstd.Grains.Storage;
using Npgsql;
using Orleans.LeaseProviders;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Leases for Orleans' lease-based queue balancer, which spreads the outbox partitions evenly over the live silos: a
/// silo holds a partition while it renews its lease. A lease is free once it expired by the database's clock, or at
/// once when its holder is a silo membership declared dead — so a crashed silo's partitions move within the
/// membership timeout, not the lease's length.
/// </summary>
public sealed class PostgresLeaseProvider(Postgres db, ILocalSiloDetails silo, IClusterMembershipService membership) : ILeaseProvider
{
    public async Task<AcquireLeaseResult[]> Acquire(string category, LeaseRequest[] leaseRequests)
    {
        var dead = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress.ToParsableString()).ToArray();
        var tokens = leaseRequests.Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        var taken = await db.WriteAsync(async (tx, ct) =>
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO stream_leases (category, resource, owner, token, expires_at)
                SELECT @category, r.resource, @owner, r.token, now() + r.seconds * interval '1 second'
                FROM unnest(@resources, @tokens, @seconds) AS r(resource, token, seconds)
                ON CONFLICT (category, resource) DO UPDATE
                    SET owner = excluded.owner, token = excluded.token, expires_at = excluded.expires_at
                    WHERE stream_leases.expires_at < now() OR stream_leases.owner = ANY(@dead)
                RETURNING resource, token, expires_at
                """, tx.Connection, tx);
            cmd.Parameters.AddWithValue("category", category);
            cmd.Parameters.AddWithValue("owner", silo.SiloAddress.ToParsableString());
            cmd.Parameters.AddWithValue("resources", leaseRequests.Select(r => r.ResourceKey).ToArray());
            cmd.Parameters.AddWithValue("tokens", tokens);
            cmd.Parameters.AddWithValue("seconds", leaseRequests.Select(r => r.Duration.TotalSeconds).ToArray());
            cmd.Parameters.AddWithValue("dead", dead);
            return await ReadLeasesAsync(cmd, ct);
        }, _ => true, CancellationToken.None);

        return [.. leaseRequests.Select(r => taken.TryGetValue(r.ResourceKey, out var lease)
            ? new AcquireLeaseResult(new AcquiredLease(r.ResourceKey, r.Duration, lease.Token, lease.Expires - r.Duration), ResponseCode.OK, null)
            : new AcquireLeaseResult(new AcquiredLease(r.ResourceKey), ResponseCode.LeaseNotAvailable, null))];
    }

    public async Task<AcquireLeaseResult[]> Renew(string category, AcquiredLease[] aquiredLeases)
    {
        var renewed = await db.WriteAsync(async (tx, ct) =>
        {
            await using var cmd = new NpgsqlCommand("""
                UPDATE stream_leases l SET expires_at = now() + r.seconds * interval '1 second'
                FROM unnest(@resources, @tokens, @seconds) AS r(resource, token, seconds)
                WHERE l.category = @category AND l.resource = r.resource AND l.token = r.token
                RETURNING l.resource, l.token, l.expires_at
                """, tx.Connection, tx);
            cmd.Parameters.AddWithValue("category", category);
            cmd.Parameters.AddWithValue("resources", aquiredLeases.Select(l => l.ResourceKey).ToArray());
            cmd.Parameters.AddWithValue("tokens", aquiredLeases.Select(l => l.Token ?? "").ToArray());
            cmd.Parameters.AddWithValue("seconds", aquiredLeases.Select(l => l.Duration.TotalSeconds).ToArray());
            return await ReadLeasesAsync(cmd, ct);
        }, _ => true, CancellationToken.None);

        return [.. aquiredLeases.Select(l => renewed.TryGetValue(l.ResourceKey, out var lease)
            ? new AcquireLeaseResult(new AcquiredLease(l.ResourceKey, l.Duration, lease.Token, lease.Expires - l.Duration), ResponseCode.OK, null)
            : new AcquireLeaseResult(l, ResponseCode.InvalidToken, null))];
    }

    public async Task Release(string category, AcquiredLease[] aquiredLeases) =>
        await db.WriteAsync(async (tx, ct) =>
        {
            await using var cmd = new NpgsqlCommand("""
                DELETE FROM stream_leases l USING unnest(@resources, @tokens) AS r(resource, token)
                WHERE l.category = @category AND l.resource = r.resource AND l.token = r.token
                """, tx.Connection, tx);
            cmd.Parameters.AddWithValue("category", category);
            cmd.Parameters.AddWithValue("resources", aquiredLeases.Select(l => l.ResourceKey).ToArray());
            cmd.Parameters.AddWithValue("tokens", aquiredLeases.Select(l => l.Token ?? "").ToArray());
            return await cmd.ExecuteNonQueryAsync(ct);
        }, _ => true, CancellationToken.None);

    private static async Task<Dictionary<string, (string Token, DateTime Expires)>> ReadLeasesAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var leases = new Dictionary<string, (string, DateTime)>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            leases[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<DateTime>(2));
        }

        return leases;
    }
}
