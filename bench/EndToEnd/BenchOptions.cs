using System.Globalization;

namespace Gstd.Bench.EndToEnd;

/// <summary>
/// <c>./bench.sh e2e [--tasks N] [--agents N] [--capacity N] [--clients N] [--scale 1,10,100] [--scale-tasks N] [--retry-tasks N] [--ceiling-seconds N] [--warm-up N]</c>.
/// </summary>
public sealed record BenchOptions(int Tasks, int Agents, int Capacity, int Clients, IReadOnlyList<int> Scale, int ScaleTasks, int RetryTasks, int CeilingSeconds, int WarmUp)
{
    public const string Usage =
        "usage: ./bench.sh e2e [--tasks 2000] [--agents 10] [--capacity 2] [--clients 4] [--scale 1,10,100] [--scale-tasks 300] [--retry-tasks 60] [--ceiling-seconds 10] [--warm-up 50]";

    /// <summary>Tasks one logical worker runs side by side; GSTD's concurrency is agents × capacity.</summary>
    public int Concurrency => Agents * Capacity;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value' at '{args[i]}'. {Usage}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var unknown = values.Keys.Except(["tasks", "agents", "capacity", "clients", "scale", "scale-tasks", "retry-tasks", "ceiling-seconds", "warm-up"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{unknown[0]}. {Usage}");
        }

        var scale = values.TryGetValue("scale", out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Positive("scale", s, 128)).ToList()
            : [1, 10, 100];
        return new BenchOptions(
            Number("tasks", 2000, 100_000), Number("agents", 10, 128), Number("capacity", 2, 64), Number("clients", 4, 64), scale,
            Number("scale-tasks", 300, 100_000), Number("retry-tasks", 60, 10_000), Number("ceiling-seconds", 10, 600), Number("warm-up", 50, 100_000));

        int Number(string option, int fallback, int max) => values.TryGetValue(option, out var text) ? Positive(option, text, max) : fallback;
    }

    private static int Positive(string option, string text, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max
            ? value
            : throw new ArgumentException($"--{option} must be a whole number from 1 to {max}, not '{text}'. {Usage}");
}
