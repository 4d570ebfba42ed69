using System.Diagnostics;
using Npgsql;

namespace Gstd.Bench.EndToEnd;

/// <summary>What this PostgreSQL can commit: one-row write transactions per second over the given number of connections.</summary>
public static class Ceiling
{
    public static async Task<double> MeasureAsync(string connectionString, int connections, TimeSpan duration)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var commits = 0L;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_ceiling (at) VALUES (now())", connection);
            await insert.PrepareAsync();
            while (watch.Elapsed < duration)
            {
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref commits);
            }
        }));
        return commits / watch.Elapsed.TotalSeconds;
    }
}
