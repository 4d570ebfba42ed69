namespace Gstd.Grains.Verification;

/// <summary>Adaptive replication for single results: whom the platform checks, and how often.</summary>
public static class SpotChecks
{
    /// <summary>
    /// Whether the platform re-executes this result: always while the account has fewer than
    /// <see cref="VerificationOptions.TrustedAfter"/> verified results in a row, then when <paramref name="draw"/>, a
    /// fresh random number in [0, 1), falls under <see cref="VerificationOptions.SampleRate"/>. The draw is secret
    /// and made only once the result is in, so a worker cannot tell which of its results will be checked.
    /// </summary>
    public static bool ShouldCheck(int verifiedStreak, VerificationOptions options, double draw) =>
        verifiedStreak < options.TrustedAfter || draw < options.SampleRate;
}
