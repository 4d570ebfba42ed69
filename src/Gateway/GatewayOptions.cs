namespace Gstd.Gateway;

/// <summary>Gateway settings, bound from the "Gstd" configuration section.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gstd";

    /// <summary>Worker accounts start Active instead of waiting for an admin (the demo enables it).</summary>
    public bool SelfServiceWorkers { get; set; }

    /// <summary>Requests a minute per account (per client address before authentication).</summary>
    public int RequestsPerMinute { get; set; } = 1200;

    /// <summary>Accounts that one client address may create per hour.</summary>
    public int AccountCreationsPerHour { get; set; } = 30;

    /// <summary>Bulk dead-letter redrives a minute per admin account (each redrives up to 500 tasks).</summary>
    public int BulkRedrivesPerMinute { get; set; } = 5;

    /// <summary>Seconds between the JSON <c>ping</c> frames every socket receives (for the UI's connection indicator).</summary>
    public int PingSeconds { get; set; } = 15;

    /// <summary>Key checks that may fail a minute per client address; past it a key is refused without being looked up.</summary>
    public int FailedKeyChecksPerMinute { get; set; } = 100;

    /// <summary>Open sockets one account may have on one silo.</summary>
    public int SocketsPerAccount { get; set; } = 100;

    /// <summary>Messages a second one socket may send, with bursts of twice as many; past it a message gets a <c>rate_limited</c> error.</summary>
    public int SocketMessagesPerSecond { get; set; } = 100;

    /// <summary>
    /// The same for a socket bound to a worker: its agent sends an accept and a result for every task, so a worker that
    /// runs short tasks quickly needs more than a viewer (1,000 a second is 500 tasks).
    /// </summary>
    public int WorkerSocketMessagesPerSecond { get; set; } = 1000;

    /// <summary>
    /// Addresses (or networks in CIDR form) of the reverse proxies in front of the silos. Only a request from one of them
    /// may say, in <c>X-Forwarded-For</c>, which client it carries: limits per client address then count that client.
    /// Empty (the default): the header is ignored and the peer's address counts.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Bytes of JSON a page of dead letters may hold (each carries every attempt's error); a page is cut short with a
    /// cursor for the rest when its items would go past it.
    /// </summary>
    public int MaxPageBytes { get; set; } = 1024 * 1024;
}
