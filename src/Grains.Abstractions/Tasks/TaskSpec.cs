namespace Gstd.Tasks;

/// <summary>The limits and policies a client chose for a task (API.md, with its ranges).</summary>
[GenerateSerializer, Immutable, Alias("gstd.TaskSpec")]
public sealed record TaskSpec(
    [property: Id(0)] int TimeoutSeconds,
    [property: Id(1)] long MaxFuel,
    [property: Id(2)] int MemoryLimitMb,
    [property: Id(3)] double MinTrust,
    [property: Id(4)] int Priority,
    [property: Id(5)] int MaxAttempts,
    [property: Id(6)] int Replicas,
    [property: Id(7)] int ReviewSeconds,
    [property: Id(8)] int QueueTimeoutSeconds)
{
    public static TaskSpec Default { get; } = new(30, 10_000_000_000, 64, 0.0, 0, 4, 1, 86_400, 3_600);
}
