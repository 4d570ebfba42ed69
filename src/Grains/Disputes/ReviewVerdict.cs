using Gstd.Disputes;
using Gstd.Grains.Verification;

namespace Gstd.Grains.Disputes;

/// <summary>What an automatic review does next, and the sentence that explains it.</summary>
public sealed record ReviewVerdict(ReviewStep Step, string Note)
{
    /// <summary>
    /// The review of a <c>wrong_output</c> claim from the platform's runs so far. The sandbox is deterministic,
    /// so the first run decides for the worker when it matches; a mismatch is confirmed by a second run before
    /// the client is refunded, and runs that hit a limit or disagree with each other go to arbitration.
    /// </summary>
    public static ReviewVerdict Next(string submittedSha256, IReadOnlyList<ExecutionReport> runs)
    {
        if (runs.Count == 0)
        {
            return new ReviewVerdict(ReviewStep.Execute, "The platform re-executes the task.");
        }

        var first = runs[0];
        if (RunOutcomes.IsInconclusive(first))
        {
            return new ReviewVerdict(ReviewStep.Escalate, $"The platform's re-execution ended {first.Outcome}, which proves nothing about the output: an admin decides.");
        }

        if (RunOutcomes.TruthOf(first) == submittedSha256)
        {
            return new ReviewVerdict(ReviewStep.Release, $"The platform's re-execution produced the same output (sha256 {submittedSha256}): the worker's result stands.");
        }

        if (runs.Count == 1)
        {
            return new ReviewVerdict(ReviewStep.Execute, "The platform's output differs from the worker's; a second execution confirms it.");
        }

        var second = runs[1];
        if (RunOutcomes.IsInconclusive(second))
        {
            return new ReviewVerdict(ReviewStep.Escalate, $"The confirming re-execution ended {second.Outcome}: an admin decides.");
        }

        return second.Outcome == first.Outcome && second.OutputSha256 == first.OutputSha256
            ? new ReviewVerdict(ReviewStep.Refund,
                $"Two platform executions agree ({Describe(first)}) and differ from the worker's output (sha256 {submittedSha256}): the client is refunded.")
            : new ReviewVerdict(ReviewStep.Escalate, $"The platform's executions disagree ({Describe(first)}, then {Describe(second)}): an admin decides.");
    }

    private static string Describe(ExecutionReport run) =>
        run.OutputSha256 is { } hash ? $"{run.Outcome}, sha256 {hash}" : run.Outcome;
}

public enum ReviewStep
{
    /// <summary>Run the task on the platform (again).</summary>
    Execute,
    /// <summary>The worker was right: pay it.</summary>
    Release,
    /// <summary>The worker's output is confirmed wrong: refund the client.</summary>
    Refund,
    /// <summary>The platform cannot tell: arbitration.</summary>
    Escalate,
}
