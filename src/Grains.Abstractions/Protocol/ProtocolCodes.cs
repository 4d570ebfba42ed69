namespace Gstd.Protocol;

/// <summary>Error codes of API.md that the worker protocol answers with.</summary>
public static class ProtocolCodes
{
    public const string LeaseExpired = "lease_expired";
    public const string InvalidSignature = "invalid_signature";
    public const string InvalidPow = "invalid_pow";
    public const string InvalidState = "invalid_state";
    public const string ValidationFailed = "validation_failed";
    public const string PayloadTooLarge = "payload_too_large";
}
