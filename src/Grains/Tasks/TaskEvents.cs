using Gstd.Tasks;

namespace Gstd.Grains.Tasks;

/// <summary>Event kinds of API.md for task states.</summary>
public static class TaskEvents
{
    public static string KindOf(TaskState state) => state switch
    {
        TaskState.RetryWaiting => "task.retry_scheduled",
        TaskState.DeadLettered => "task.dead_lettered",
        _ => "task." + state.ToString().ToLowerInvariant(),
    };
}
