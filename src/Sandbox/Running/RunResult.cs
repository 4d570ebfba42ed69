namespace Gstd.Sandbox.Running;

/// <summary>What a run produced: the outcome, stdout, the fuel it burned and how long it took.</summary>
public sealed record RunResult(RunOutcome Outcome, byte[] Output, long FuelUsed, TimeSpan Duration, int? ExitCode, string? Detail)
{
    public bool Succeeded => Outcome == RunOutcome.Succeeded;
}
