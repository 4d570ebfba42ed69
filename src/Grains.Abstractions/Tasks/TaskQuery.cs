namespace Gstd.Tasks;

/// <summary>A page request over a client's tasks, newest first; <see cref="After"/> is where the previous page ended.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskQuery")]
public sealed record TaskQuery(
    [property: Id(0)] IReadOnlyList<TaskState>? Statuses,
    [property: Id(1)] string? ModuleId,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] TaskCursor? After,
    [property: Id(5)] int Limit);

/// <summary>Where a page ended: the sort time (created or dead-lettered) and id of its last item.</summary>
/// <summary>Where a page ended: the sort time (created, or dead-lettered) and the id of its last item.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskCursor")]
public sealed record TaskCursor([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Id);

/// <summary>A list item: the task without its attempts, history or output.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskSummary")]
public sealed record TaskSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] TaskState Status,
    [property: Id(2)] TaskReason? Reason,
    [property: Id(3)] string ModuleId,
    [property: Id(4)] long Price,
    [property: Id(5)] long Fee,
    [property: Id(6)] EscrowState EscrowState,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt,
    [property: Id(9)] GeoCell? WorkerCell);

[GenerateSerializer, Immutable, Alias("gstd.TaskPage")]
public sealed record TaskPage([property: Id(0)] IReadOnlyList<TaskSummary> Items, [property: Id(1)] TaskCursor? Next);

/// <summary>The tasks of one client (keyed by the client's account id), read from the tasks table.</summary>
[Alias("gstd.ITaskListGrain")]
public interface ITaskListGrain : IGrainWithStringKey
{
    /// <summary>The key under which the lists span every client (for admins).</summary>
    public const string Everyone = "*";

    [Alias("List")]
    Task<TaskPage> List(TaskQuery query);

    /// <summary>The client's dead-lettered tasks (every client's under <see cref="Everyone"/>), with every attempt.</summary>
    [Alias("DeadLetters")]
    Task<DeadLetterPage> DeadLetters(DeadLetterQuery query);
}
