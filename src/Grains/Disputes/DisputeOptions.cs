namespace Gstd.Grains.Disputes;

/// <summary>Deadlines of disputes, bound from "Gstd:Disputes".</summary>
public sealed class DisputeOptions
{
    public const string Section = "Gstd:Disputes";

    /// <summary>
    /// How long an admin has to decide a dispute awaiting arbitration. When nobody decides, the deadline
    /// releases the escrow to the worker: its result passed every check the platform has, and a claim that no
    /// one upheld does not take its pay.
    /// </summary>
    public TimeSpan ArbitrationWindow { get; set; } = TimeSpan.FromHours(72);

    /// <summary>
    /// Time the automatic review may take beyond two runs of the task's own time limit; past it (the runner
    /// busy or down) the dispute goes to arbitration.
    /// </summary>
    public TimeSpan ReviewMargin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a dispute under review checks that its re-execution is still on its way (a silo may have died with it).</summary>
    public TimeSpan RunCheck { get; set; } = TimeSpan.FromMinutes(1);
}
