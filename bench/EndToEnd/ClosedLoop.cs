namespace Gstd.Bench.EndToEnd;

/// <summary>
/// A fixed number of clients, each with one item in flight at a time, until <c>count</c> items are done: the
/// load a busy application puts on a job system, with a queue that never runs dry and never grows without bound.
/// </summary>
public static class ClosedLoop
{
    /// <param name="one">Does item i and answers its submit→completed latency in milliseconds.</param>
    public static async Task<IReadOnlyList<double>> RunAsync(int count, int clients, Func<int, Task<double>> one)
    {
        var next = -1;
        var latencies = new double[count];
        var done = 0;
        using var progress = new Timer(_ => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss}   {Volatile.Read(ref done)}/{count}"), null, 10_000, 10_000);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(clients, count)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                latencies[i] = await one(i);
                Interlocked.Increment(ref done);
            }
        })));
        return latencies;
    }
}
