using Gstd.Silo.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gstd.Testing;

/// <summary>
/// The PostgreSQL server the tests run against (test.sh starts a throwaway one and sets GSTD_TEST_PG).
/// A template database is migrated once per test process; every test class gets its own copy.
/// </summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static readonly List<string> Created = [];

    static TestPostgres() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAll();

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("GSTD_TEST_PG")
        ?? throw new InvalidOperationException("GSTD_TEST_PG is not set: run the tests through ./test.sh, which starts PostgreSQL.");

    /// <summary>A fresh, migrated database, dropped when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var template = await Template.Value;
        var name = "gstd_t_" + Guid.NewGuid().ToString("N")[..16];
        await CreateLock.WaitAsync();
        try
        {
            await ExecuteOnServerAsync($"CREATE DATABASE {name} TEMPLATE {template}");
            lock (Created)
            {
                Created.Add(name);
            }
        }
        finally
        {
            CreateLock.Release();
        }

        return new TestDatabase(name, ConnectionStringFor(name));
    }

    /// <summary>An empty database without our schema, for tests of the migrations themselves.</summary>
    public static async Task<TestDatabase> CreateEmptyDatabaseAsync()
    {
        var name = "gstd_e_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        lock (Created)
        {
            Created.Add(name);
        }

        return new TestDatabase(name, ConnectionStringFor(name));
    }

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    internal static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        lock (Created)
        {
            Created.Remove(name);
        }
    }

    private static async Task<string> CreateTemplateAsync()
    {
        var name = "gstd_tpl_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        lock (Created)
        {
            Created.Add(name);
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false };
        await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(null, CancellationToken.None);
        }

        return name;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static void DropAll()
    {
        string[] names;
        lock (Created)
        {
            names = [.. Created];
        }

        foreach (var name in names)
        {
            try
            {
                DropAsync(name).GetAwaiter().GetResult();
            }
            catch (NpgsqlException)
            {
                // The server may already be gone at process exit; test.sh removes it anyway.
            }
        }
    }
}

/// <summary>A database of one test class: its connection string and a data source on it.</summary>
public sealed class TestDatabase(string name, string connectionString) : IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;

    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public NpgsqlDataSource DataSource => _dataSource ??= NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await TestPostgres.DropAsync(Name);
    }
}
