using Gstd.Tasks;

namespace Gstd.Disputes;

/// <summary>
/// What a dispute is judged on: the task as it was run, the result the worker signed, every attempt, and
/// the platform's re-executions.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.DisputeEvidence")]
public sealed record DisputeEvidence(
    [property: Id(0)] string ModuleId,
    [property: Id(1)] string InputId,
    [property: Id(2)] TaskSpec Spec,
    [property: Id(3)] long Price,
    [property: Id(4)] long Fee,
    [property: Id(5)] long Escrow,
    [property: Id(6)] SubmittedResult Submitted,
    [property: Id(7)] IReadOnlyList<AttemptView> Attempts,
    [property: Id(8)] IReadOnlyList<ExecutionReport> Reexecutions);

/// <summary>The result the worker delivered, with its signature and proof of work; <see cref="Preview"/> is its first bytes.</summary>
[GenerateSerializer, Immutable, Alias("gstd.SubmittedResult")]
public sealed record SubmittedResult(
    [property: Id(0)] string OutputId,
    [property: Id(1)] string OutputSha256,
    [property: Id(2)] long Size,
    [property: Id(3)] byte[] Preview,
    [property: Id(4)] long Lease,
    [property: Id(5)] byte[] Signature,
    [property: Id(6)] ulong PowNonce);

/// <summary>One execution of the task by the platform's own runner, with the task's seed and limits.</summary>
[GenerateSerializer, Immutable, Alias("gstd.ExecutionReport")]
public sealed record ExecutionReport(
    [property: Id(0)] int Number,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Outcome,
    [property: Id(3)] string? OutputSha256,
    [property: Id(4)] long Size,
    [property: Id(5)] byte[] Preview,
    [property: Id(6)] long FuelUsed,
    [property: Id(7)] long DurationMs,
    [property: Id(8)] string? Detail)
{
    /// <summary>How many bytes of an output evidence keeps to show side by side.</summary>
    public const int PreviewBytes = 64 * 1024;
}
