using Gstd.Client;

namespace Gstd.Bench.Realtime;

/// <summary>
/// Feeds the account topic at a steady pace over HTTP: each submitted task (no worker will take it) puts
/// <c>task.queued</c> and <c>balance.changed</c> on the topic.
/// </summary>
public sealed class Feed(GstdClient client, string moduleId, double tasksPerSecond) : IAsyncDisposable
{
    private const int InFlight = 32;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(InFlight, InFlight);
    private Task _loop = Task.CompletedTask;
    private long _submitted;
    private long _failed;

    public long Submitted => Interlocked.Read(ref _submitted);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Why the first submission that failed did, for the report.</summary>
    public string? FirstFailure { get; private set; }

    public void Start() => _loop = RunAsync();

    private async Task RunAsync()
    {
        var tick = TimeSpan.FromMilliseconds(20);
        using var timer = new PeriodicTimer(tick);
        var started = DateTime.UtcNow;
        long sent = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                // Catch up to the schedule rather than drift below the rate when a tick comes late.
                var due = (long)((DateTime.UtcNow - started).TotalSeconds * tasksPerSecond);
                for (; sent < due; sent++)
                {
                    await _slots.WaitAsync(_stop.Token);
                    _ = SubmitAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        for (var i = 0; i < InFlight; i++)
        {
            await _slots.WaitAsync();
        }
    }

    private async Task SubmitAsync()
    {
        try
        {
            await client.SubmitTaskAsync(moduleId, "x"u8.ToArray(), "0.001");
            Interlocked.Increment(ref _submitted);
        }
        catch (Exception e)
        {
            if (Interlocked.Increment(ref _failed) == 1)
            {
                FirstFailure = e.Message;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
