using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Silo.Storage;

/// <summary>
/// Applies the embedded SQL migrations in order, each in its own transaction, under a PostgreSQL advisory
/// lock so that silos starting together migrate once. Work that must not race between silos (the admin
/// bootstrap) runs inside the same lock.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    private const string ResourcePrefix = "Gstd.Migrations.";
    // An arbitrary constant shared by every silo: "gstd mig" in ASCII.
    private const long LockId = 0x6773_7464_206d_6967;

    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    public async Task MigrateAsync(Func<NpgsqlConnection, CancellationToken, Task>? insideLock, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockId})", ct);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);
            var applied = await AppliedAsync(connection, ct);
            foreach (var migration in Embedded.Where(m => !applied.Contains(m.Version)))
            {
                logger.LogInformation("Applying migration {Version} {Name}", migration.Version, migration.Name);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, tx))
                {
                    await apply.ExecuteNonQueryAsync(ct);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", connection, tx))
                {
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("name", migration.Name);
                    await record.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
            }

            if (insideLock is not null)
            {
                await insideLock(connection, ct);
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockId})", CancellationToken.None);
        }
    }

    private static async Task<HashSet<int>> AppliedAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        var versions = new HashSet<int>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_')), System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(version, name, reader.ReadToEnd()));
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }
}

public sealed record Migration(int Version, string Name, string Sql);
