using Gstd.Identity;
using Gstd.Realtime;

namespace Gstd.Grains.Realtime;

/// <summary>Holds a ticket in memory only: a ticket that outlives a silo crash is simply gone, like an expired one.</summary>
public sealed class TicketGrain(TimeProvider time) : Grain, ITicketGrain
{
    private Principal? _principal;
    private DateTimeOffset _expires;

    public Task Issue(Principal principal)
    {
        _principal = principal;
        _expires = time.GetUtcNow().AddSeconds(ITicketGrain.LifetimeSeconds);
        DelayDeactivation(TimeSpan.FromSeconds(ITicketGrain.LifetimeSeconds));
        return Task.CompletedTask;
    }

    public Task<Principal?> Redeem()
    {
        var principal = time.GetUtcNow() <= _expires ? _principal : null;
        _principal = null;
        DeactivateOnIdle();
        return Task.FromResult(principal);
    }
}
