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
}
