namespace Gstd.Tasks;

/// <summary>
/// A client's submission, checked for shape by the gateway. With an <c>Idempotency-Key</c> the task id is
/// derived from the account and the key (<see cref="TaskIds.ForIdempotencyKey"/>), so a repeat reaches the
/// same task; <see cref="RequestHash"/> tells a true repeat from a reuse of the key for another body.
/// An input sent inline comes as <see cref="Input"/> (its id is <see cref="InputId"/>) and is stored with the task.
/// <see cref="FreshId"/> says the id was made for this submission (<see cref="TaskIds.New"/>): no task has it yet, so
/// the task grain need not look for one.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.SubmitTask")]
public sealed record SubmitTask(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string ModuleId,
    [property: Id(2)] string InputId,
    [property: Id(3)] long Price,
    [property: Id(4)] TaskSpec Spec,
    [property: Id(5)] byte[] RequestHash,
    [property: Id(6)] byte[]? Input = null,
    [property: Id(7)] bool FreshId = false);

[GenerateSerializer, Alias("gstd.SubmitStatus")]
public enum SubmitStatus
{
    Created = 0,
    /// <summary>The Idempotency-Key was used before with the same body: the first task is answered.</summary>
    Replayed = 1,
    /// <summary>The Idempotency-Key was used before with a different body.</summary>
    KeyReused = 2,
    ModuleNotFound = 3,
    InputNotFound = 4,
    InsufficientFunds = 5,
    /// <summary>The client has as many tasks waiting for a worker as it may (<c>PlatformLimits.MaxQueuedTasks</c>).</summary>
    QueueFull = 6,
}

[GenerateSerializer, Immutable, Alias("gstd.SubmitResult")]
public sealed record SubmitResult([property: Id(0)] SubmitStatus Status, [property: Id(1)] TaskView? Task);

[GenerateSerializer, Alias("gstd.TaskActionStatus")]
public enum TaskActionStatus
{
    Done = 0,
    NotFound = 1,
    InvalidState = 2,
    EscrowFrozen = 3,
    InsufficientFunds = 4,
}

[GenerateSerializer, Immutable, Alias("gstd.TaskActionResult")]
public sealed record TaskActionResult([property: Id(0)] TaskActionStatus Status, [property: Id(1)] TaskView? Task, [property: Id(2)] string? Detail);
