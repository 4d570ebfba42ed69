using System.Diagnostics;
using System.Globalization;
using Gstd.Testing;
using Npgsql;

namespace Gstd.Bench.EndToEnd;

/// <summary>
/// Measures a run from outside: wall time, the transaction ids PostgreSQL handed out meanwhile (only writes take
/// one; <c>xact_commit</c> would count reads too) and the CPU the whole machine spent — database, silo, agents,
/// clients — so both systems are charged for everything they make the box do.
/// </summary>
public static class Measurement
{
    public static async Task<RunFigures> RunAsync(string name, string connectionString, Func<Task<IReadOnlyList<double>>> run)
    {
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {name}: starting");
        var xid = await NextTransactionIdAsync(connectionString);
        var cpu = MachineCpu();
        var processes = ProcessCpu.Snapshot();
        var watch = Stopwatch.StartNew();
        var latencies = await run();
        watch.Stop();
        var figures = new RunFigures(name, latencies.Count, watch.Elapsed, Percentiles.Of(latencies, 0.5), Percentiles.Of(latencies, 0.99),
            await NextTransactionIdAsync(connectionString) - xid, MachineCpu() - cpu, ProcessCpu.Delta(processes, ProcessCpu.Snapshot(), latencies.Count));
        Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {figures}");
        Console.Error.WriteLine($"         cpu ms per item by process: {figures.CpuByProcess}");
        return figures;
    }

    /// <summary>The next transaction id to be assigned: the delta over a run is the write transactions it committed or aborted.</summary>
    public static async Task<long> NextTransactionIdAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The durability settings and the version of the server, to print with the figures.</summary>
    public static async Task<IReadOnlyList<(string Name, string Value)>> ServerSettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT name, setting || COALESCE(unit, '') FROM pg_settings
            WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'commit_delay',
                           'shared_buffers', 'max_connections', 'wal_level')
            ORDER BY name
            """, connection);
        var settings = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            settings.Add((reader.GetString(0), reader.GetString(1)));
        }

        return settings;
    }

    /// <summary>CPU time every core of the machine spent busy so far (Linux <c>/proc/stat</c>; idle and I/O wait excluded).</summary>
    private static TimeSpan MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Ticks(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        // user nice system idle iowait irq softirq steal
        return TimeSpan.FromSeconds((Ticks(1) + Ticks(2) + Ticks(3) + Ticks(6) + Ticks(7) + Ticks(8)) / 100.0);
    }
}
