using System.Collections.Concurrent;
using System.Diagnostics;
using Gstd.Workers;

namespace Gstd.Bench.Balancer;

/// <summary>What one run of decisions measured.</summary>
public sealed record DecisionFigures(
    string Name, int Workers, long Decisions, TimeSpan Elapsed, double P50Ms, double P99Ms, long NoCapacity, long OverCapacity,
    long Refusals, IReadOnlyDictionary<string, long> Picks)
{
    public double PerSecond => Decisions / Elapsed.TotalSeconds;
}

/// <summary>
/// Decisions against one pool from <c>concurrency</c> callers, as task grains would make them: each enqueues a
/// task, which the pool places by choosing a worker and having it reserve a slot, and then releases the
/// reservation at once (as a finished lease would) so capacity never runs out.
/// </summary>
public static class DecisionRun
{
    private static long _sequence;

    public static async Task<DecisionFigures> RunAsync(
        IGrainFactory grains, string poolKey, int workers, int capacity, int concurrency, TimeSpan? duration, long? count)
    {
        var pool = grains.GetGrain<IWorkerPoolGrain>(poolKey);
        var refusalsBefore = (await pool.GetStats()).Refusals;
        var picks = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var held = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var latencies = new List<long>[concurrency];
        long started = 0, noCapacity = 0, overCapacity = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(loop => Task.Run(async () =>
        {
            var mine = latencies[loop] = [];
            while ((duration is null || watch.Elapsed < duration) && (count is null || Interlocked.Increment(ref started) <= count))
            {
                var taskId = $"bench-{poolKey}-{Interlocked.Increment(ref _sequence)}";
                var begin = Stopwatch.GetTimestamp();
                var workerId = await pool.Enqueue(new PoolTask(taskId, 0, 0, DateTimeOffset.UtcNow, []));
                mine.Add(Stopwatch.GetTimestamp() - begin);
                if (workerId is null)
                {
                    Interlocked.Increment(ref noCapacity);
                    continue;
                }

                picks.AddOrUpdate(workerId, 1, (_, n) => n + 1);
                // The release is counted when it is sent, before the worker frees the slot, so this count is at
                // most what the worker holds: above capacity here means the worker granted over capacity.
                if (held.AddOrUpdate(workerId, 1, (_, n) => n + 1) > capacity)
                {
                    Interlocked.Increment(ref overCapacity);
                }

                await grains.GetGrain<IWorkerGrain>(workerId).LeaseEnded(taskId, 0, "bench");
                held.AddOrUpdate(workerId, 0, (_, n) => n - 1);
            }
        }))).ConfigureAwait(false);
        watch.Stop();

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var refusals = (await pool.GetStats()).Refusals - refusalsBefore;
        return new DecisionFigures(poolKey, workers, all.Length - noCapacity, watch.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99),
            noCapacity, overCapacity, refusals, picks);
    }

    /// <summary>Round trips of one plain call to the pool grain, with the same callers: the floor under a decision.</summary>
    public static async Task<DecisionFigures> BaselineAsync(IGrainFactory grains, string poolKey, int workers, int concurrency, TimeSpan duration)
    {
        var pool = grains.GetGrain<IWorkerPoolGrain>(poolKey);
        var latencies = new List<long>[concurrency];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(loop => Task.Run(async () =>
        {
            var mine = latencies[loop] = [];
            while (watch.Elapsed < duration)
            {
                var begin = Stopwatch.GetTimestamp();
                await pool.GetStats();
                mine.Add(Stopwatch.GetTimestamp() - begin);
            }
        }))).ConfigureAwait(false);
        watch.Stop();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new DecisionFigures("baseline: one call to the pool", workers, all.Length, watch.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99), 0, 0, 0,
            new Dictionary<string, long>());
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
