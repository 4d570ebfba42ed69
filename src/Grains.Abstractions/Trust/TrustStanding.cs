namespace Gstd.Trust;

/// <summary>
/// A worker account's evidence: weighted successes and failures (both decayed toward nothing while the account
/// is idle) and when they were last updated. The score is derived from them by the trust model.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.TrustStanding")]
public sealed record TrustStanding(
    [property: Id(0)] double Successes,
    [property: Id(1)] double Failures,
    [property: Id(2)] DateTimeOffset UpdatedAt);

/// <summary>What happened that moves an account's trust.</summary>
[GenerateSerializer, Alias("gstd.TrustEvent")]
public enum TrustEvent
{
    /// <summary>A result that verified, on another account's task.</summary>
    Succeeded = 0,

    /// <summary>An offer the worker let expire without accepting or declining it.</summary>
    MissedOffer = 1,

    /// <summary>A running lease that lapsed without progress.</summary>
    LostLease = 2,

    /// <summary>A result whose hash, signature or proof of work did not verify.</summary>
    InvalidResult = 3,

    /// <summary>A dispute decided against the worker.</summary>
    LostDispute = 4,
}

/// <summary>One change of an account's trust, as shown in a worker's recent history.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TrustChange")]
public sealed record TrustChange(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] TrustEvent Event,
    [property: Id(2)] string? TaskId,
    [property: Id(3)] string? WorkerId,
    [property: Id(4)] double Trust);
