namespace Gstd.Content;

/// <summary>
/// Sizes the platform accepts, bound from the "Gstd:Limits" configuration section and published by
/// <c>GET /api/limits</c>.
/// </summary>
public sealed class PlatformLimits
{
    public const string Section = "Gstd:Limits";

    public int MaxModuleBytes { get; set; } = 4 * 1024 * 1024;

    public int MaxModuleFunctions { get; set; } = 20_000;

    public int MaxBlobBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Input given inline (base64) in a task submission; larger inputs go through blobs.</summary>
    public int MaxInlineInputBytes { get; set; } = 48 * 1024;

    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>The platform fee in basis points, charged on top of the price.</summary>
    public int FeeBps { get; set; } = 500;

    /// <summary>Smallest price a task may offer, in nano-GSTD (0.000001 GSTD).</summary>
    public long MinPriceNano { get; set; } = 1_000;

    /// <summary>Largest price a task may offer, in nano-GSTD (1,000,000 GSTD).</summary>
    public long MaxPriceNano { get; set; } = 1_000_000L * 1_000_000_000;

    /// <summary>Disputes one client may have open (not yet resolved) at a time.</summary>
    public int MaxOpenDisputes { get; set; } = 10;
}
