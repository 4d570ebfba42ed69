using Gstd.Disputes;
using Gstd.Grains.Disputes;
using Gstd.Grains.Tasks;
using Gstd.Scheduling;
using Gstd.Tasks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Scheduling;

/// <summary>
/// Pokes tasks and disputes whose <c>due_at</c> has passed. The poke is idempotent: each re-checks its own
/// deadline and moves it on, so a row is poked again only if its grain has not handled it yet.
/// </summary>
public sealed class SweeperGrain(NpgsqlDataSource dataSource, TimeProvider time, ILogger<SweeperGrain> logger) : Grain, ISweeperGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";
    private const int Batch = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private IGrainTimer? _timer;

    public async Task Start()
    {
        await this.RegisterOrUpdateReminder(KeepAlive, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        EnsureSweeping();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureSweeping();
        return Task.CompletedTask;
    }

    private void EnsureSweeping() =>
        _timer ??= this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(Interval, Interval) { KeepAlive = true });

    private async Task SweepAsync(CancellationToken ct)
    {
        try
        {
            var partition = (int)this.GetPrimaryKeyLong();
            var due = await TaskStore.DueAsync(dataSource, partition, ISweeperGrain.Partitions, time.GetUtcNow(), Batch, ct);
            foreach (var id in due)
            {
                await GrainFactory.GetGrain<ITaskGrain>(id).Wake();
            }

            foreach (var id in await DisputeStore.DueAsync(dataSource, partition, ISweeperGrain.Partitions, time.GetUtcNow(), Batch, ct))
            {
                await GrainFactory.GetGrain<IDisputeGrain>(id).Wake();
            }
        }
        catch (NpgsqlException e)
        {
            // The next tick tries again; deadlines are late, never lost.
            logger.LogWarning(e, "Sweeping partition {Partition} failed", this.GetPrimaryKeyLong());
        }
    }
}
