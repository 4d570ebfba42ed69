using Gstd.Trust;

namespace Gstd.Grains.Trust;

/// <summary>
/// Trust is the mean of a Beta posterior over "this account's work verifies": a prior worth
/// <see cref="PriorWeight"/> observations centred on <see cref="Prior"/>, plus weighted evidence. A success adds
/// one observation; a failure the worker caused adds several (<see cref="Penalty"/>), so trust is slow to earn
/// and fast to lose. Evidence halves every <see cref="HalfLife"/> of idleness, drifting trust back toward the
/// prior, which also lets a worker below the floor come back on probation instead of being barred for ever.
/// </summary>
public static class TrustModel
{
    /// <summary>Where a new account starts.</summary>
    public const double Prior = 0.5;

    /// <summary>How many observations the prior is worth: 40 clean successes take a new account from 0.5 to 0.9.</summary>
    public const double PriorWeight = 10;

    /// <summary>Below this trust an account with <see cref="FloorEvidence"/> or more observations gets no work.</summary>
    public const double Floor = 0.3;

    /// <summary>Observations needed before the floor applies; until then a new account is explored.</summary>
    public const double FloorEvidence = 8;

    /// <summary>Weights below this are raised to it, so no eligible worker's share is ever zero.</summary>
    public const double MinimumWeight = 0.01;

    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(7);

    public static TrustStanding Initial(DateTimeOffset now) => new(0, 0, now);

    public static double Score(TrustStanding standing) =>
        ((Prior * PriorWeight) + standing.Successes) / (PriorWeight + standing.Successes + standing.Failures);

    /// <summary>Weighted evidence added by one event (successes, failures).</summary>
    public static (double Successes, double Failures) Penalty(TrustEvent kind) => kind switch
    {
        TrustEvent.Succeeded => (1, 0),
        TrustEvent.MissedOffer => (0, 1),
        TrustEvent.LostLease => (0, 3),
        TrustEvent.InvalidResult => (0, 5),
        TrustEvent.LostDispute => (0, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The standing after <paramref name="kind"/> at <paramref name="now"/>, older evidence decayed first.</summary>
    public static TrustStanding Apply(TrustStanding standing, TrustEvent kind, DateTimeOffset now)
    {
        var decayed = Decay(standing, now);
        var (successes, failures) = Penalty(kind);
        return new TrustStanding(decayed.Successes + successes, decayed.Failures + failures, now);
    }

    /// <summary>Evidence as it stands at <paramref name="now"/> after halving every <see cref="HalfLife"/> since its last update.</summary>
    public static TrustStanding Decay(TrustStanding standing, DateTimeOffset now)
    {
        var idle = now - standing.UpdatedAt;
        if (idle <= TimeSpan.Zero)
        {
            return standing;
        }

        var factor = Math.Pow(0.5, idle / HalfLife);
        return new TrustStanding(standing.Successes * factor, standing.Failures * factor, now);
    }

    /// <summary>Whether the account may be given work: on probation while its history is short, then at or above the floor.</summary>
    public static bool ReceivesWork(TrustStanding standing) =>
        standing.Successes + standing.Failures < FloorEvidence || Score(standing) >= Floor;

    /// <summary>
    /// A worker's share of the work is proportional to the square of its trust: a worker at 0.95 gets about
    /// 3.6 times the work of a new one at 0.5, which still gets enough to build a history.
    /// </summary>
    public static double Weight(double trust) => Math.Max(MinimumWeight, trust * trust);
}
