namespace Gstd.Gateway.Http;

/// <summary>The stable error codes of API.md.</summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string InvalidState = "invalid_state";
    public const string PayloadTooLarge = "payload_too_large";
    public const string InvalidModule = "invalid_module";
    public const string ModuleNotFound = "module_not_found";
    public const string InsufficientFunds = "insufficient_funds";
    public const string EscrowFrozen = "escrow_frozen";
    public const string ReviewWindowClosed = "review_window_closed";
    public const string AlreadyDisputed = "already_disputed";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string TooManyQueuedTasks = "too_many_queued_tasks";
    public const string StorageQuotaExceeded = "storage_quota_exceeded";
    public const string Internal = "internal_error";

    /// <summary>The code a bare status stands for, when nothing more specific was said.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => "method_not_allowed",
        402 => InsufficientFunds,
        409 => Conflict,
        422 => IdempotencyKeyReused,
        413 => PayloadTooLarge,
        415 => "unsupported_media_type",
        429 => RateLimited,
        _ => status >= 500 ? Internal : "error",
    };
}
