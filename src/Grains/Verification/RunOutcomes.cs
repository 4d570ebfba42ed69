using Gstd.Disputes;

namespace Gstd.Grains.Verification;

public static class RunOutcomes
{
    /// <summary>Outcomes that say nothing about the output: the platform's run hit a limit.</summary>
    private static readonly HashSet<string> Inconclusive = ["OutOfFuel", "TimedOut", "MemoryLimit", "InvalidModule"];

    public static bool IsInconclusive(ExecutionReport run) => Inconclusive.Contains(run.Outcome);

    /// <summary>The hash of the output the run proves right; null when the module fails, so no output is right.</summary>
    public static string? TruthOf(ExecutionReport run) => run.Outcome == "Succeeded" ? run.OutputSha256 : null;
}
