using System.Globalization;

namespace Gstd.Bench.EndToEnd;

/// <summary>CPU time per kind of process on this machine (Linux <c>/proc</c>): where a run's CPU went.</summary>
public static class ProcessCpu
{
    public static IReadOnlyDictionary<string, TimeSpan> Snapshot()
    {
        var self = Environment.ProcessId;
        var totals = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var group = pid == self ? "bench clients (and Hangfire)" : Group(File.ReadAllText(Path.Combine(dir, "cmdline")));
                totals[group] = totals.GetValueOrDefault(group) + TimeSpan.FromSeconds(ticks / 100.0);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return totals;
    }

    public static string Delta(IReadOnlyDictionary<string, TimeSpan> before, IReadOnlyDictionary<string, TimeSpan> after, int items) =>
        string.Join(", ", after
            .Select(a => (a.Key, Spent: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(a => a.Spent > TimeSpan.FromMilliseconds(100))
            .OrderByDescending(a => a.Spent)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key} {a.Spent.TotalMilliseconds / items:0.0}")));

    private static string Group(string commandLine) => commandLine switch
    {
        _ when commandLine.StartsWith("postgres", StringComparison.Ordinal) || commandLine.Contains("/postgres\0", StringComparison.Ordinal) => "postgres",
        _ when commandLine.Contains("Gstd.Silo.dll", StringComparison.Ordinal) => "silo",
        _ when commandLine.Contains("Gstd.Worker.dll", StringComparison.Ordinal) => "agents",
        _ => "other",
    };
}
