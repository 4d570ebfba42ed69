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

    /// <summary>Bytes of modules and blobs one account may hold (each piece of content counted once, inline inputs included).</summary>
    public long StorageQuotaBytes { get; set; } = 1024L * 1024 * 1024;

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

    /// <summary>
    /// Tasks one client may have waiting for a worker at once (Queued or RetryWaiting). Past it a submission is refused
    /// with 429 <c>too_many_queued_tasks</c>: a task nobody takes costs the pool, so nobody may park unlimited numbers.
    /// </summary>
    public int MaxQueuedTasks { get; set; } = 1_000;

    /// <summary>
    /// The platform's own runs (spot checks, dispute reviews, tie-breaks) use the task's limits up to these caps, so one
    /// client cannot book the platform's runner for hours; a run that reaches a cap proves nothing either way.
    /// </summary>
    public long PlatformRunMaxFuel { get; set; } = 10_000_000_000;

    public int PlatformRunMaxSeconds { get; set; } = 60;

    public int PlatformRunMaxMemoryMb { get; set; } = 256;

    /// <summary>
    /// Platform runs one client's tasks may have waiting for the runner; more are refused and tried again at the task's
    /// next check (a minute later). Room for an honest burst (a busy client whose new worker is spot-checked), while the
    /// turns the queue takes between clients keep a flood from delaying anyone else.
    /// </summary>
    public int PlatformRunsQueuedPerClient { get; set; } = 64;

    /// <summary>Platform runs waiting for the runner, all clients together.</summary>
    public int PlatformRunsQueued { get; set; } = 1_024;
}
