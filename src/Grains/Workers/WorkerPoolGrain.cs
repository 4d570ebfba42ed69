using Gstd.Grains.Balancing;
using Gstd.Grains.Tasks;
using Gstd.Tasks;
using Gstd.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;

namespace Gstd.Grains.Workers;

/// <summary>
/// The balancer of one pool. It chooses on its own picture (<see cref="WeightedBalancer"/>), which may be
/// stale, so the chosen <see cref="IWorkerGrain"/> must grant the reservation; a refusal corrects the picture
/// and the next worker is tried in the same decision. Reentrant so that decisions overlap while reservations
/// are in flight: every change to the picture happens between awaits. Soft state only: rebuilt from the tasks
/// table on activation and every half minute, and from workers announcing themselves every few seconds.
/// </summary>
[Reentrant]
public sealed class WorkerPoolGrain(NpgsqlDataSource dataSource, TimeProvider time, ILogger<WorkerPoolGrain> logger) : Grain, IWorkerPoolGrain
{
    /// <summary>A worker not heard from for this long is dropped (its grain announces every 5 s).</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(15);

    /// <summary>How often the tasks table is read for queued tasks the pool does not know (a lost enqueue).</summary>
    public static readonly TimeSpan ReconcileEvery = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    private readonly WeightedBalancer _balancer = new();
    private readonly WaitingTasks _waiting = new();
    /// <summary>When each worker last announced itself, on the monotonic clock: liveness is about elapsed time, and a step of the wall clock must not silence everyone.</summary>
    private readonly Dictionary<string, long> _heardFrom = new(StringComparer.Ordinal);

    /// <summary>Waiting tasks handed to a worker lately: their rows may still say Queued, so reconciliation leaves them be.</summary>
    private readonly Dictionary<string, DateTimeOffset> _dispatched = new(StringComparer.Ordinal);
    private DateTimeOffset _reconciledAt;
    private bool _dispatching;
    private bool _dispatchAgain;
    private long _decisions;
    private long _refusals;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Nothing can be in flight in a fresh activation: every queued task is taken as waiting.
        await ReconcileAsync(TimeSpan.Zero, cancellationToken);
        this.RegisterGrainTimer(CheckAsync, new GrainTimerCreationOptions(CheckEvery, CheckEvery));
    }

    public async Task<string?> Enqueue(PoolTask task)
    {
        _waiting.Remove(task.TaskId);
        var worker = await PlaceAsync(task);
        if (worker is null)
        {
            _waiting.Add(task);
        }

        return worker;
    }

    public async Task WorkerAvailable(PoolWorker worker)
    {
        _heardFrom[worker.WorkerId] = time.GetTimestamp();
        if (_balancer.Upsert(worker.WorkerId, worker.Trust, worker.FreeSlots) && _waiting.Count > 0)
        {
            await DispatchWaitingAsync();
        }
    }

    public Task WorkerGone(string workerId)
    {
        _balancer.Remove(workerId);
        _heardFrom.Remove(workerId);
        return Task.CompletedTask;
    }

    public Task<PoolStats> GetStats() =>
        Task.FromResult(new PoolStats(_balancer.Count, _balancer.ReadyCount, _waiting.Count, _decisions, _refusals,
            // The 5-second check drops a worker silent for 15 s: one still here two checks later is a broken net.
            _heardFrom.Count(w => time.GetElapsedTime(w.Value) > SilentAfter + (2 * CheckEvery))));

    /// <summary>Chooses and reserves: the next candidate after every refusal, until one grants or none is left.</summary>
    private async Task<string?> PlaceAsync(PoolTask task)
    {
        while (_balancer.Choose(task.MinTrust, task.AvoidWorkers, task.ExcludeWorkers) is { } workerId)
        {
            bool reserved;
            try
            {
                reserved = await GrainFactory.GetGrain<IWorkerGrain>(workerId).TryReserve(task.TaskId);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                logger.LogWarning(e, "Worker {Worker} did not answer a reservation; it is left out until it announces again", workerId);
                reserved = false;
            }

            if (reserved)
            {
                _decisions++;
                return workerId;
            }

            _refusals++;
            _balancer.Refused(workerId);
        }

        return null;
    }

    /// <summary>Offers waiting tasks, in order, to the capacity that appeared; one pass at a time.</summary>
    private async Task DispatchWaitingAsync()
    {
        if (_dispatching)
        {
            _dispatchAgain = true;
            return;
        }

        _dispatching = true;
        try
        {
            do
            {
                _dispatchAgain = false;
                PoolTask? cursor = null;
                // Only tasks some ready worker has the trust for are visited: a flood nobody can take costs nothing here.
                while (_balancer.ReadyCount > 0 && _waiting.After(cursor, _balancer.MaxReadyTrust) is { } task)
                {
                    cursor = task;
                    _waiting.Remove(task.TaskId);
                    _dispatched[task.TaskId] = time.GetUtcNow();
                    if (await PlaceAsync(task) is { } workerId)
                    {
                        await GrainFactory.GetGrain<ITaskGrain>(task.TaskId).Assign(workerId);
                    }
                    else
                    {
                        _dispatched.Remove(task.TaskId);
                        _waiting.Add(task);
                    }
                }
            }
            while (_dispatchAgain);
        }
        finally
        {
            _dispatching = false;
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var silent in _heardFrom.Where(w => time.GetElapsedTime(w.Value) > SilentAfter).Select(w => w.Key).ToList())
        {
            await WorkerGone(silent);
        }

        foreach (var handed in _dispatched.Where(d => now - d.Value > ReconcileEvery).Select(d => d.Key).ToList())
        {
            _dispatched.Remove(handed);
        }

        if (now - _reconciledAt >= ReconcileEvery)
        {
            await ReconcileAsync(CheckEvery, ct);
        }

        if (_waiting.Count > 0 && _balancer.ReadyCount > 0)
        {
            await DispatchWaitingAsync();
        }
    }

    /// <summary>
    /// Brings the waiting list in line with the tasks table: queued tasks the pool never heard of (an enqueue
    /// lost with a silo) are added; tasks no longer queued (cancelled, expired) are dropped. Tasks that changed
    /// within <paramref name="margin"/> are left alone, as a decision about them may be in flight.
    /// </summary>
    private async Task ReconcileAsync(TimeSpan margin, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        _reconciledAt = started;
        var settled = started - margin;
        var queued = (await TaskStore.QueuedAsync(dataSource, ct)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var task in queued.Values.Where(t => t.UpdatedAt <= settled && !_waiting.Contains(t.Id) && !_dispatched.ContainsKey(t.Id)))
        {
            _waiting.Add(task.ToPoolTask());
        }

        foreach (var stale in _waiting.InOrder().Where(t => t.QueuedAt < settled && !queued.ContainsKey(t.TaskId)).ToList())
        {
            _waiting.Remove(stale.TaskId);
        }
    }
}
