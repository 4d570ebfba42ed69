using Gstd.Silo.Storage;
using Gstd.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gstd.StorageTests.Migrations;

public sealed class MigrationTests
{
    private static readonly string[] ProviderKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey",
    ];

    [Fact]
    public async Task Silos_migrating_an_empty_database_at_once_apply_each_migration_once()
    {
        await using var db = await TestPostgres.CreateEmptyDatabaseAsync();
        var insideLock = 0;
        var maxInsideLock = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => new DatabaseMigrator(db.DataSource, NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(async (_, _) =>
            {
                var now = Interlocked.Increment(ref insideLock);
                InterlockedMax(ref maxInsideLock, now);
                await Task.Yield();
                Interlocked.Decrement(ref insideLock);
            }, CancellationToken.None)));

        Assert.Equal(1, maxInsideLock);
        await using var cmd = db.DataSource.CreateCommand("SELECT array_agg(version ORDER BY version) FROM schema_migrations");
        Assert.Equal(DatabaseMigrator.Embedded.Select(m => m.Version).ToArray(), (int[])(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await new DatabaseMigrator(db.DataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(null, CancellationToken.None);
        await using var cmd = db.DataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)DatabaseMigrator.Embedded.Count, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_query_catalog_holds_every_statement_the_providers_use()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var cmd = db.DataSource.CreateCommand("SELECT querykey FROM orleansquery");
        var keys = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        Assert.Equal(ProviderKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
