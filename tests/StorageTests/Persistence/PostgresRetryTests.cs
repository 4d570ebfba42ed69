using Gstd.Grains.Storage;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Polly;
using Polly.Registry;

namespace Gstd.StorageTests.Persistence;

/// <summary>
/// The PostgreSQL resilience pipeline against a real server whose sessions are cut, as a restart or a
/// failover cuts them: work is run again on a fresh connection and commits once; real errors are not retried.
/// </summary>
public sealed class PostgresRetryTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    private Postgres Postgres => _services.GetRequiredService<Postgres>();

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _services = PostgresServices.For(_db);
        await using var create = _db.DataSource.CreateCommand("CREATE TABLE probe (id integer PRIMARY KEY)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Work_whose_connections_the_server_cut_runs_again_and_commits_once()
    {
        await WarmPoolAsync();
        await CutSessionsAsync();

        var runs = 0;
        var result = await Postgres.WriteAsync(async (tx, ct) =>
        {
            runs++;
            await using var insert = new NpgsqlCommand("INSERT INTO probe VALUES (1)", tx.Connection, tx);
            return await insert.ExecuteNonQueryAsync(ct);
        }, inserted => inserted == 1, CancellationToken.None);

        Assert.Equal(1, result);
        Assert.True(runs >= 2, $"the work ran {runs} time(s); the first connection was cut, so it must have run again");
        Assert.Equal(1L, await CountAsync());
    }

    [Fact]
    public async Task A_read_on_a_cut_connection_is_answered_from_a_fresh_one()
    {
        await WarmPoolAsync();
        await CutSessionsAsync();

        var answer = await Postgres.ReadAsync(async (connection, ct) =>
        {
            await using var cmd = new NpgsqlCommand("SELECT 42", connection);
            return (int)(await cmd.ExecuteScalarAsync(ct))!;
        }, CancellationToken.None);

        Assert.Equal(42, answer);
    }

    [Fact]
    public async Task A_real_error_is_not_retried_and_a_refused_result_writes_nothing()
    {
        var runs = 0;
        await Assert.ThrowsAsync<PostgresException>(() => Postgres.WriteAsync(async (tx, ct) =>
        {
            runs++;
            await using var insert = new NpgsqlCommand("INSERT INTO probe VALUES (7), (7)", tx.Connection, tx);
            return await insert.ExecuteNonQueryAsync(ct);
        }, _ => true, CancellationToken.None));
        Assert.Equal(1, runs);

        await Postgres.WriteAsync(async (tx, ct) =>
        {
            await using var insert = new NpgsqlCommand("INSERT INTO probe VALUES (8)", tx.Connection, tx);
            return await insert.ExecuteNonQueryAsync(ct);
        }, _ => false, CancellationToken.None);
        Assert.Equal(0L, await CountAsync());
    }

    /// <summary>Leaves several idle connections in the pipeline's pool, as a busy silo has.</summary>
    private async Task WarmPoolAsync()
    {
        var dataSource = _services.GetRequiredService<NpgsqlDataSource>();
        var open = new List<NpgsqlConnection>();
        for (var i = 0; i < 4; i++)
        {
            var connection = await dataSource.OpenConnectionAsync();
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync();
            open.Add(connection);
        }

        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Ends every other session on the test database from a connection of its own.</summary>
    private async Task CutSessionsAsync()
    {
        await using var admin = new NpgsqlConnection(_db.ConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var cut = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
        Assert.True((long)(await cut.ExecuteScalarAsync())! >= 4);
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(_db.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM probe", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
