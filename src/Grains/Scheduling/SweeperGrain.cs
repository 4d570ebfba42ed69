using Gstd.Disputes;
using Gstd.Scheduling;
using Gstd.Tasks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Scheduling;

/// <summary>
/// Pokes tasks and disputes whose <c>due_at</c> has passed. The poke is idempotent: each re-checks its own
/// deadline and moves it on, so a row is poked again only if its grain has not handled it yet. One row whose
/// wake-up fails never holds up the others: a row whose grain throws is left out of the next sweeps for a while
/// (<see cref="FailingRows"/>); one that could not be reached (its silo died) is simply tried at the next tick.
/// </summary>
public sealed class SweeperGrain(NpgsqlDataSource dataSource, TimeProvider time, ILogger<SweeperGrain> logger) : Grain, ISweeperGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";
    private const int Batch = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FailingRows _failing = new();
    private IGrainTimer? _timer;

    /// <summary>Cheap to repeat: the reminder is written once per activation.</summary>
    public async Task Start()
    {
        if (_timer is null)
        {
            await this.RegisterOrUpdateReminder(KeepAlive, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }

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
        var partition = (int)this.GetPrimaryKeyLong();
        await SweepAsync("tasks", partition, id => GrainFactory.GetGrain<ITaskGrain>(id).Wake(), ct);
        await SweepAsync("disputes", partition, id => GrainFactory.GetGrain<IDisputeGrain>(id).Wake(), ct);
    }

    private async Task SweepAsync(string table, int partition, Func<string, Task> wake, CancellationToken ct)
    {
        IReadOnlyList<string> due;
        try
        {
            due = await DueAsync(table, partition, _failing.Skipped(time.GetUtcNow()), ct);
        }
        catch (NpgsqlException e)
        {
            // The next tick tries again; deadlines are late, never lost.
            logger.LogWarning(e, "Sweeping {Table} of partition {Partition} failed", table, partition);
            return;
        }

        foreach (var id in due)
        {
            try
            {
                await wake(id);
                _failing.Succeeded(id);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException && !ct.IsCancellationRequested)
            {
                // The cluster, not the row: its grain's silo died or is busy. The next tick tries it again, as always.
                logger.LogInformation(e, "Waking {Table} row {Id} did not get through; trying again", table, id);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The row itself: its grain throws on every wake-up. Left out for a while, so the rest go on.
                var retryAt = _failing.Failed(id, time.GetUtcNow());
                logger.LogWarning(e, "Waking {Table} row {Id} failed; it is tried again at {RetryAt:u}", table, id, retryAt);
            }
        }
    }

    /// <summary>
    /// Ids of rows of <paramref name="table"/> (tasks or disputes) whose deadline has passed, in this sweeper's
    /// partition, less the ones whose wake-up is failing. The partition is computed in bigint: <c>hashtext</c> may
    /// be −2³¹, whose absolute value does not fit an integer.
    /// </summary>
    private async Task<IReadOnlyList<string>> DueAsync(string table, int partition, string[] skipped, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT id FROM {table}
            WHERE due_at <= @now AND abs(hashtext(id)::bigint) % @partitions = @partition AND id <> ALL(@skipped)
            ORDER BY due_at
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("partition", (long)partition);
        cmd.Parameters.AddWithValue("partitions", (long)ISweeperGrain.Partitions);
        cmd.Parameters.AddWithValue("skipped", skipped);
        cmd.Parameters.AddWithValue("limit", Batch);
        var ids = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
