using System.Diagnostics;

namespace Gstd.Testing;

/// <summary>Waits for a condition that becomes true asynchronously, failing with a message at a deadline.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task Until(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        Until(probe, ok => ok, timeout, what);
}
