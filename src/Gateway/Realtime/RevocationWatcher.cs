using Gstd.Accounts;
using Gstd.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// Closes this silo's sockets whose key was revoked or whose account was disabled, anywhere in the cluster, within
/// about <see cref="Every"/>: it follows <see cref="IRevocationsGrain"/> while any socket is open. When the grain cannot
/// say what happened since it last asked (a new activation), it asks each account about every open socket's key.
/// </summary>
public sealed class RevocationWatcher(IGrainFactory grains, SocketRegistry sockets, TimeProvider time, ILogger<RevocationWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    private Guid _epoch;
    private long _position;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (sockets.Count == 0)
                {
                    continue;
                }

                try
                {
                    await FollowAsync();
                }
                catch (Exception e) when (e is TimeoutException or OrleansException)
                {
                    logger.LogWarning(e, "Revocations could not be read; trying again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync()
    {
        var page = await grains.GetGrain<IRevocationsGrain>(0).Since(_epoch, _position);
        if (page.Complete)
        {
            foreach (var revoked in page.Items)
            {
                foreach (var session in sockets.Of(revoked.AccountId, revoked.KeyId))
                {
                    session.Revoke();
                }
            }
        }
        else
        {
            foreach (var key in sockets.All().GroupBy(s => (s.AccountId, s.KeyId)))
            {
                if (!await grains.GetGrain<IAccountGrain>(key.Key.AccountId).IsKeyActive(key.Key.KeyId))
                {
                    foreach (var session in key)
                    {
                        session.Revoke();
                    }
                }
            }
        }

        (_epoch, _position) = (page.Epoch, page.Position);
    }
}
