using Orleans.Concurrency;

namespace Gstd.Trust;

/// <summary>
/// The trust of one worker account (keyed by the account id). Successes, the common case, are gathered and
/// written together a few times a second instead of each in its task's transaction, so the tasks of one
/// operator do not queue on its account row. Anything that lowers trust is still written with the transition
/// that caused it; a crash can only lose the last moments of successes, which makes trust lag, never overstate.
/// </summary>
[Alias("gstd.ITrustGrain")]
public interface ITrustGrain : IGrainWithStringKey
{
    /// <summary>A result of <paramref name="workerId"/> on <paramref name="taskId"/> was accepted; verified when the platform or agreeing replicas confirmed it.</summary>
    [Alias("Succeeded"), OneWay]
    Task Succeeded(string workerId, string taskId, bool verified);

    /// <summary>How many of the account's results in a row were verified, counting those not yet written.</summary>
    [Alias("VerifiedStreak")]
    Task<int> VerifiedStreak();
}
