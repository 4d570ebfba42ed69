namespace Gstd.Tasks;

/// <summary>What an agent reports when it has run a task (API.md, the <c>result</c> message).</summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkResult")]
public sealed record WorkResult(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] string TaskId,
    [property: Id(2)] long Lease,
    [property: Id(3)] byte[] Output,
    [property: Id(4)] string OutputSha256,
    [property: Id(5)] long FuelUsed,
    [property: Id(6)] long DurationMs,
    [property: Id(7)] ulong PowNonce,
    [property: Id(8)] byte[] Signature);

/// <summary>The task's answer to a worker: done, or refused with one of API.md's codes.</summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkOutcome")]
public sealed record WorkOutcome([property: Id(0)] bool Accepted, [property: Id(1)] string? Code, [property: Id(2)] string? Message)
{
    public static WorkOutcome Ok { get; } = new(true, null, null);

    public static WorkOutcome Refused(string code, string message) => new(false, code, message);
}
