namespace Gstd.GatewayTests.Security;

/// <summary>A gateway whose per-account quotas are small enough for a test to reach them.</summary>
public sealed class HostileGateway : GatewayFixture
{
    public const int MaxQueuedTasks = 3;
    public const int StorageQuotaBytes = 8 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:Limits:MaxQueuedTasks"] = MaxQueuedTasks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gstd:Limits:StorageQuotaBytes"] = StorageQuotaBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The corpus signs up with many bad bodies from one address; the sign-up limit has tests of its own.
        ["Gstd:AccountCreationsPerHour"] = "1000",
        ["Gstd:BulkRedrivesPerMinute"] = "100",
    };
}
