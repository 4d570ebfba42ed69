using Gstd.Identity;

namespace Gstd.Realtime;

/// <summary>
/// A short-lived, single-use ticket for opening a WebSocket from a browser (which cannot send headers),
/// keyed by the ticket itself and bound to the account that asked for it.
/// </summary>
[Alias("gstd.ITicketGrain")]
public interface ITicketGrain : IGrainWithStringKey
{
    public const int LifetimeSeconds = 30;

    [Alias("Issue")]
    Task Issue(Principal principal);

    /// <summary>The principal the first time within the lifetime; null afterwards or for an unknown ticket.</summary>
    [Alias("Redeem")]
    Task<Principal?> Redeem();
}
