using System.Globalization;

namespace Gstd.Bench.EndToEnd;

/// <summary>What one measured run did: items finished, wall time, latency, write transactions and machine CPU.</summary>
public sealed record RunFigures(string Name, int Items, TimeSpan Elapsed, double P50Ms, double P99Ms, long WriteTransactions, TimeSpan Cpu, string CpuByProcess)
{
    public double PerSecond => Items / Elapsed.TotalSeconds;

    public double WritesPerItem => (double)WriteTransactions / Items;

    public double CpuMsPerItem => Cpu.TotalMilliseconds / Items;

    /// <summary>Average cores busy over the run.</summary>
    public double CoresBusy => Cpu / Elapsed;

    public const string Header = "run                                             items   per s   p50 ms   p99 ms  writes/item  cpu ms/item  cores";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-46}{Items,7}{PerSecond,8:0.0}{P50Ms,9:0}{P99Ms,9:0}{WritesPerItem,13:0.00}{CpuMsPerItem,13:0.0}{CoresBusy,7:0.00}");
}
