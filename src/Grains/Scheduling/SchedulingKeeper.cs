using Gstd.Scheduling;
using Microsoft.Extensions.Logging;

namespace Gstd.Grains.Scheduling;

/// <summary>
/// Starts the deadline sweepers and the sentinel when the silo starts, then pokes the sweepers every
/// <see cref="Interval"/> for as long as the silo is active. Their reminders alone would bring them back only at the
/// next minute's tick after the silo holding them left, holding up deadlines for that long; a poke re-activates them
/// on a live silo within seconds and costs a grain call.
/// </summary>
public sealed class SchedulingKeeper(IGrainFactory grains, TimeProvider time, ILogger<SchedulingKeeper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private Task _keeping = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchedulingKeeper), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken ct)
    {
        await PokeAsync();
        await grains.GetGrain<ISentinelGrain>(0).Start();
        _keeping = KeepAsync(_stop.Token);
    }

    private async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        await _keeping;
    }

    private async Task KeepAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await PokeAsync();
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // The cluster is changing under the poke; the next one finds the grains' new home.
                    logger.LogDebug(e, "Poking the scheduling grains failed");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private async Task PokeAsync()
    {
        for (var partition = 0; partition < ISweeperGrain.Partitions; partition++)
        {
            await grains.GetGrain<ISweeperGrain>(partition).Start();
        }
    }
}
