using Gstd.Workers;

namespace Gstd.Grains.Balancing;

/// <summary>
/// Tasks no worker could take yet, highest priority first and then oldest first, with aging: a task's place is
/// its queue time moved earlier by <see cref="AgingStep"/> per priority level. Waiting one step is worth one
/// level, so a priority-0 task is overtaken only by higher-priority tasks queued less than nine steps after it,
/// and is never starved. The key never changes while a task waits, so the order is kept in sorted sets, one per
/// minimum trust: a walk for the workers at hand (<see cref="After"/>) never visits a task whose minimum trust none
/// of them has, so tasks nobody can take cost nothing however many wait.
/// </summary>
public sealed class WaitingTasks
{
    public static readonly TimeSpan AgingStep = TimeSpan.FromSeconds(10);

    private static readonly Comparer<(long Key, string TaskId)> ByKey = Comparer<(long Key, string TaskId)>.Create(
        (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.TaskId, b.TaskId));

    /// <summary>The waiting order of each minimum trust, lowest trust first.</summary>
    private readonly SortedDictionary<double, SortedSet<(long Key, string TaskId)>> _byTrust = [];
    private readonly Dictionary<string, (long Key, PoolTask Task)> _tasks = new(StringComparer.Ordinal);

    public int Count => _tasks.Count;

    public bool Contains(string taskId) => _tasks.ContainsKey(taskId);

    public static long KeyOf(PoolTask task) => task.QueuedAt.UtcTicks - (task.Priority * AgingStep.Ticks);

    public void Add(PoolTask task)
    {
        Remove(task.TaskId);
        var key = KeyOf(task);
        _tasks[task.TaskId] = (key, task);
        if (!_byTrust.TryGetValue(task.MinTrust, out var order))
        {
            order = new SortedSet<(long Key, string TaskId)>(ByKey);
            _byTrust[task.MinTrust] = order;
        }

        order.Add((key, task.TaskId));
    }

    public bool Remove(string taskId)
    {
        if (!_tasks.Remove(taskId, out var entry))
        {
            return false;
        }

        var order = _byTrust[entry.Task.MinTrust];
        order.Remove((entry.Key, taskId));
        if (order.Count == 0)
        {
            _byTrust.Remove(entry.Task.MinTrust);
        }

        return true;
    }

    /// <summary>
    /// The first waiting task after <paramref name="cursor"/> (from the start when null), in dispatch order, among those
    /// whose minimum trust is at most <paramref name="maxTrust"/>. Its cost grows with the distinct minimums that low,
    /// not with the tasks above it.
    /// </summary>
    public PoolTask? After(PoolTask? cursor, double maxTrust = 1.0)
    {
        (long Key, string TaskId)? best = null;
        foreach (var (trust, order) in _byTrust)
        {
            if (trust > maxTrust)
            {
                break;
            }

            if (FirstAfter(order, cursor) is { } next && (best is null || ByKey.Compare(next, best.Value) < 0))
            {
                best = next;
            }
        }

        return best is { } found ? _tasks[found.TaskId].Task : null;
    }

    /// <summary>All waiting tasks in dispatch order.</summary>
    public IEnumerable<PoolTask> InOrder()
    {
        for (var task = After(null); task is not null; task = After(task))
        {
            yield return task;
        }
    }

    private static (long Key, string TaskId)? FirstAfter(SortedSet<(long Key, string TaskId)> order, PoolTask? cursor)
    {
        if (cursor is null)
        {
            return order.Min;
        }

        var from = (KeyOf(cursor), cursor.TaskId);
        if (ByKey.Compare(from, order.Max) >= 0)
        {
            return null;
        }

        foreach (var entry in order.GetViewBetween(from, order.Max))
        {
            if (entry != from)
            {
                return entry;
            }
        }

        return null;
    }
}
