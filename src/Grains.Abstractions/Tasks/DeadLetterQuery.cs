namespace Gstd.Tasks;

/// <summary>
/// A page request over dead-lettered tasks, most recently dead-lettered first: by terminal reason code, by a
/// worker that had an attempt, by when the task was dead-lettered, and by how many attempts it made.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.DeadLetterQuery")]
public sealed record DeadLetterQuery(
    [property: Id(0)] string? Reason,
    [property: Id(1)] string? WorkerId,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] int? MinAttempts,
    [property: Id(5)] TaskCursor? After,
    [property: Id(6)] int Limit);

[GenerateSerializer, Immutable, Alias("gstd.DeadLetterPage")]
public sealed record DeadLetterPage([property: Id(0)] IReadOnlyList<TaskView> Items, [property: Id(1)] TaskCursor? Next);
