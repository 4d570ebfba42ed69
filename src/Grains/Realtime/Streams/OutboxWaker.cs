using Gstd.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Wakes the readers of the outbox partitions a transaction wrote to, once it committed: a partition this silo reads
/// at once, in process; any other by a NOTIFY that the silo reading it listens for (<see cref="OutboxListener"/>),
/// sent after the commit, coalesced, and committed without waiting for the disk. A NOTIFY inside the writer's own
/// transaction would make every such commit queue behind one server-wide lock (migration 0017). A wake-up that is
/// lost costs latency only: the reader's safety poll finds the rows.
/// </summary>
public sealed class OutboxWaker(NpgsqlDataSource dataSource, OutboxSignals signals, ILogger<OutboxWaker> logger) : BackgroundService, ICommitObserver
{
    private readonly Lock _gate = new();
    private readonly HashSet<int> _pending = [];
    private readonly SemaphoreSlim _due = new(0, 1);

    public void Committed(NpgsqlTransaction tx)
    {
        foreach (var partition in Outbox.TakePartitions(tx))
        {
            Wake(partition);
        }
    }

    public void Wake(int partition)
    {
        if (signals.Reads(partition))
        {
            signals.Wake(partition);
            return;
        }

        lock (_gate)
        {
            if (!_pending.Add(partition))
            {
                return;
            }
        }

        if (_due.CurrentCount > 0)
        {
            // A NOTIFY is due already; it takes this partition along.
            return;
        }

        try
        {
            _due.Release();
        }
        catch (SemaphoreFullException)
        {
            // Made due by another commit in the moment since it was looked at.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _due.WaitAsync(stoppingToken);
                short[] partitions;
                lock (_gate)
                {
                    partitions = [.. _pending.Select(p => (short)p)];
                    _pending.Clear();
                }

                if (partitions.Length > 0)
                {
                    await NotifyAsync(partitions, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was still due is found by the readers' safety polls.
        }
    }

    private async Task NotifyAsync(short[] partitions, CancellationToken ct)
    {
        try
        {
            // Nothing of this transaction needs to survive a crash, so its commit does not wait for the disk.
            await using var notify = dataSource.CreateCommand($"""
                SELECT set_config('synchronous_commit', 'off', true), pg_notify('{OutboxListener.Channel}', p::text)
                FROM unnest(@partitions) AS p
                """);
            notify.Parameters.AddWithValue("partitions", partitions);
            await notify.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "Waking the readers of outbox partitions {Partitions} failed; their safety polls find the rows", partitions);
        }
    }
}
