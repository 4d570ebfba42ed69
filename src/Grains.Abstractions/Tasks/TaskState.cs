namespace Gstd.Tasks;

/// <summary>The states of a task (DESIGN.md §3). Named <c>TaskState</c> to stay clear of System.Threading.Tasks.</summary>
[GenerateSerializer, Alias("gstd.TaskState")]
public enum TaskState
{
    Queued = 0,
    Assigned = 1,
    Running = 2,
    Verifying = 3,
    Completed = 4,
    Disputed = 5,
    Settled = 6,
    Refunded = 7,
    RetryWaiting = 8,
    DeadLettered = 9,
    Expired = 10,
    Cancelled = 11,
}

public static class TaskStates
{
    /// <summary>States a task never leaves (a redrive starts a new escrow generation from DeadLettered or Expired).</summary>
    public static bool IsTerminal(this TaskState state) =>
        state is TaskState.Settled or TaskState.Refunded or TaskState.DeadLettered or TaskState.Expired or TaskState.Cancelled;

    /// <summary>States in which the client may still cancel.</summary>
    public static bool IsCancellable(this TaskState state) =>
        state is TaskState.Queued or TaskState.RetryWaiting or TaskState.Assigned or TaskState.Running;
}
