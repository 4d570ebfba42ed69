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
}
