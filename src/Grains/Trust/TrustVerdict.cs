using Gstd.Trust;

namespace Gstd.Grains.Trust;

/// <summary>
/// One trust change a transition makes for a worker's account: what happened, and whether a result was
/// verified (by the platform or by agreeing replicas), which extends the account's run of verified results.
/// </summary>
public sealed record TrustVerdict(string AccountId, string WorkerId, TrustEvent Kind, bool Verified = false);
