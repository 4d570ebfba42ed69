using Gstd.Workers;

namespace Gstd.Grains.Balancing;

/// <summary>
/// Tasks no worker could take yet, highest priority first and then oldest first, with aging: a task's place is
/// its queue time moved earlier by <see cref="AgingStep"/> per priority level. Waiting one step is worth one
/// level, so a priority-0 task is overtaken only by higher-priority tasks queued less than nine steps after it,
/// and is never starved. The key never changes while a task waits, so the order is kept in a sorted set.
/// </summary>
public sealed class WaitingTasks
{
    public static readonly TimeSpan AgingStep = TimeSpan.FromSeconds(10);

    private static readonly Comparer<(long Key, string TaskId)> ByKey = Comparer<(long Key, string TaskId)>.Create(
        (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : string.CompareOrdinal(a.TaskId, b.TaskId));

    private readonly SortedSet<(long Key, string TaskId)> _order = new(ByKey);
    private readonly Dictionary<string, (long Key, PoolTask Task)> _tasks = new(StringComparer.Ordinal);

    public int Count => _tasks.Count;

    public bool Contains(string taskId) => _tasks.ContainsKey(taskId);

    public static long KeyOf(PoolTask task) => task.QueuedAt.UtcTicks - (task.Priority * AgingStep.Ticks);

    public void Add(PoolTask task)
    {
        Remove(task.TaskId);
        var key = KeyOf(task);
        _tasks[task.TaskId] = (key, task);
        _order.Add((key, task.TaskId));
    }

    public bool Remove(string taskId)
    {
        if (!_tasks.Remove(taskId, out var entry))
        {
            return false;
        }

        _order.Remove((entry.Key, taskId));
        return true;
    }

    /// <summary>The first waiting task after <paramref name="cursor"/> (from the start when null), in dispatch order.</summary>
    public PoolTask? After(PoolTask? cursor)
    {
        if (_order.Count == 0)
        {
            return null;
        }

        if (cursor is null)
        {
            return _tasks[_order.Min.TaskId].Task;
        }

        var from = (KeyOf(cursor), cursor.TaskId);
        if (ByKey.Compare(from, _order.Max) >= 0)
        {
            return null;
        }

        foreach (var entry in _order.GetViewBetween(from, _order.Max))
        {
            if (entry != from)
            {
                return _tasks[entry.TaskId].Task;
            }
        }

        return null;
    }

    /// <summary>All waiting tasks in dispatch order.</summary>
    public IEnumerable<PoolTask> InOrder() => _order.Select(entry => _tasks[entry.TaskId].Task);
}
