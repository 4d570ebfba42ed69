using Gstd.Disputes;
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
        try
        {
            var partition = (int)this.GetPrimaryKeyLong();
            foreach (var id in await DueAsync("tasks", partition, ct))
            {
                await GrainFactory.GetGrain<ITaskGrain>(id).Wake();
            }

            foreach (var id in await DueAsync("disputes", partition, ct))
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

    /// <summary>Ids of rows of <paramref name="table"/> (tasks or disputes) whose deadline has passed, in this sweeper's partition.</summary>
    private async Task<IReadOnlyList<string>> DueAsync(string table, int partition, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT id FROM {table}
            WHERE due_at <= @now AND abs(hashtext(id)) % @partitions = @partition
            ORDER BY due_at
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.AddWithValue("partition", partition);
        cmd.Parameters.AddWithValue("partitions", ISweeperGrain.Partitions);
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
