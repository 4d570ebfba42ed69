namespace Gstd.Grains.Verification;

/// <summary>Spot checks of results by the platform runner, bound from "Gstd:Verification".</summary>
public sealed class VerificationOptions
{
    public const string Section = "Gstd:Verification";

    /// <summary>
    /// Every result of an account is checked until this many of its results in a row were verified (by the
    /// platform or by agreeing replicas); 0 turns the checks of new accounts off.
    /// </summary>
    public int TrustedAfter { get; set; } = 5;

    /// <summary>The share of a trusted account's results that are still checked, so that turning bad later is caught too.</summary>
    public double SampleRate { get; set; } = 0.02;

    /// <summary>Time a check may take beyond the task's own time limit before the task goes on without it.</summary>
    public TimeSpan Margin { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a task being verified checks that its platform run is still on its way.</summary>
    public TimeSpan RunCheck { get; set; } = TimeSpan.FromMinutes(1);
}
