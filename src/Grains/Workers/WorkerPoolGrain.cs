using Gstd.Grains.Tasks;
using Gstd.Tasks;
using Gstd.Workers;
using Npgsql;

namespace Gstd.Grains.Workers;

/// <summary>
/// Matches waiting tasks with online workers that have free slots (any eligible worker; the trust-weighted
/// balancer is its own issue). The chosen worker must confirm the reservation (<see cref="IWorkerGrain.TryReserve"/>)
/// before the task is assigned, so a stale picture here never overloads a worker.
/// </summary>
public sealed class WorkerPoolGrain(NpgsqlDataSource dataSource) : Grain, IWorkerPoolGrain
{
    private readonly Dictionary<string, PoolWorker> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolTask> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastAssigned = new(StringComparer.Ordinal);
    private long _assignments;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var task in await TaskStore.QueuedAsync(dataSource, cancellationToken))
        {
            _waiting[task.Id] = new PoolTask(task.Id, task.Spec.Priority, task.Spec.MinTrust, task.UpdatedAt, []);
        }
    }

    public async Task Enqueue(PoolTask task)
    {
        _waiting[task.TaskId] = task;
        await DispatchAsync();
    }

    public async Task WorkerAvailable(PoolWorker worker)
    {
        _workers[worker.WorkerId] = worker;
        await DispatchAsync();
    }

    public Task WorkerGone(string workerId)
    {
        _workers.Remove(workerId);
        _lastAssigned.Remove(workerId);
        return Task.CompletedTask;
    }

    private async Task DispatchAsync()
    {
        foreach (var task in _waiting.Values.OrderByDescending(t => t.Priority).ThenBy(t => t.QueuedAt).ToList())
        {
            var eligible = _workers.Values.Where(w => w.FreeSlots > 0 && w.Trust >= task.MinTrust).ToList();
            if (eligible.Count == 0)
            {
                continue;
            }

            // A worker that already failed or lost this task is used only when nobody else can take it.
            var preferred = eligible.Where(w => !task.AvoidWorkers.Contains(w.WorkerId)).ToList();
            // Most free slots first; among equals, the worker that waited longest since its last task.
            foreach (var worker in (preferred.Count > 0 ? preferred : eligible)
                         .OrderByDescending(w => w.FreeSlots).ThenBy(w => _lastAssigned.GetValueOrDefault(w.WorkerId)))
            {
                var reserved = await GrainFactory.GetGrain<IWorkerGrain>(worker.WorkerId).TryReserve(task.TaskId);
                _workers[worker.WorkerId] = worker with { FreeSlots = reserved ? worker.FreeSlots - 1 : 0 };
                if (reserved)
                {
                    _lastAssigned[worker.WorkerId] = ++_assignments;
                    _waiting.Remove(task.TaskId);
                    await GrainFactory.GetGrain<ITaskGrain>(task.TaskId).Assign(worker.WorkerId);
                    break;
                }
            }
        }
    }
}
