using System.Threading.RateLimiting;
using Gstd.Gateway.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Http;

/// <summary>
/// The per-account request budget of a silo (<see cref="GatewayOptions.RequestsPerMinute"/>), shared by HTTP requests
/// and socket subscriptions so that neither is a way around the other; and the budget of key checks that fail per
/// client address (<see cref="GatewayOptions.FailedKeyChecksPerMinute"/>), spent before a guessed key reaches the database.
/// </summary>
public sealed class RequestBudget : IDisposable
{
    private readonly PartitionedRateLimiter<string> _requests;
    private readonly PartitionedRateLimiter<string> _failedKeyChecks;

    public RequestBudget(IOptions<GatewayOptions> options)
    {
        var limits = options.Value;
        _requests = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => PerMinute(limits.RequestsPerMinute)));
        _failedKeyChecks = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => PerMinute(limits.FailedKeyChecksPerMinute)));
    }

    /// <summary>The HTTP view of the request budget: by account once authenticated, by client address before.</summary>
    public PartitionedRateLimiter<HttpContext> ForRequests() => _requests.WithTranslatedKey<HttpContext>(PartitionOf, leaveOpen: true);

    /// <summary>Takes one request of the account's budget; a lease that is not acquired means the account must slow down.</summary>
    public RateLimitLease TakeRequest(string accountId) => _requests.AttemptAcquire("account:" + accountId);

    /// <summary>Whether the client address may still have a key checked, having failed as often as it has this minute.</summary>
    public bool MayCheckKey(HttpContext context) => _failedKeyChecks.GetStatistics(AddressOf(context))?.CurrentAvailablePermits is not 0;

    public void KeyCheckFailed(HttpContext context)
    {
        using var lease = _failedKeyChecks.AttemptAcquire(AddressOf(context));
    }

    public void Dispose()
    {
        _requests.Dispose();
        _failedKeyChecks.Dispose();
    }

    private static string PartitionOf(HttpContext context) =>
        context.User.FindFirst(GstdClaims.AccountId)?.Value is { } account ? "account:" + account : AddressOf(context);

    private static string AddressOf(HttpContext context) => "ip:" + context.Connection.RemoteIpAddress;

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) };
}
