using Orleans.Concurrency;

namespace Gstd.Workers;

/// <summary>
/// An offer or a lease of a task to one worker, with everything the agent needs to run it. A small input the task
/// still holds in memory (given inline at submission) travels with a new offer, so the agent need not download it.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskOffer")]
public sealed record TaskOffer(
    [property: Id(0)] string TaskId,
    [property: Id(1)] long Lease,
    [property: Id(2)] string ModuleId,
    [property: Id(3)] string InputId,
    [property: Id(4)] Tasks.TaskSpec Limits,
    [property: Id(5)] string Seed,
    [property: Id(6)] int PowDifficulty,
    [property: Id(7)] DateTimeOffset AcceptBy,
    [property: Id(8)] DateTimeOffset? LeaseExpiresAt,
    [property: Id(9)] bool Accepted,
    [property: Id(10)] byte[]? Input = null);
