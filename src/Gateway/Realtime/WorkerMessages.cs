using Gstd.Gateway.Http;
using Gstd.Tasks;
using Gstd.Workers;

namespace Gstd.Gateway.Realtime;

/// <summary>The fields of a worker's <c>fail</c> and <c>result</c> messages, read and checked; null when a field is wrong (the reader says which).</summary>
public static class WorkerMessages
{
    public const int SignatureBytes = 64;

    /// <summary>A worker's error message is kept to this many characters (1 KiB of ASCII): it is stored with its attempt.</summary>
    public const int MaxErrorMessageLength = 1024;

    /// <summary>A worker's report of a failed run: a code and a message, the message cut to <see cref="MaxErrorMessageLength"/>.</summary>
    public static TaskReason? FailureOf(JsonBody message)
    {
        var error = message.Object("error", required: true);
        var code = error?.String("code", required: true, maxLength: 64);
        var text = error?.String("message", required: true, maxLength: int.MaxValue);
        return code is null || text is null ? null : new TaskReason(code, Truncate(text, MaxErrorMessageLength));
    }

    public static WorkResult? ResultOf(JsonBody message, string workerId, string? taskId, long lease, int maxOutputBytes)
    {
        var output = message.Base64("output", required: true, maxBytes: maxOutputBytes);
        var sha = message.String("outputSha256", required: true, maxLength: 64);
        var fuel = message.Integer("fuelUsed", 0, long.MaxValue, 0);
        var duration = message.Integer("durationMs", 0, long.MaxValue, 0);
        var nonce = message.UnsignedString("powNonce", required: true);
        var signature = message.Base64("signature", required: true, maxBytes: SignatureBytes);
        return output is null || sha is null || nonce is null || signature is null || taskId is null
            ? null
            : new WorkResult(workerId, taskId, lease, output, sha, fuel, duration, nonce.Value, signature);
    }

    /// <summary>The first <paramref name="length"/> characters, never ending in half of a surrogate pair.</summary>
    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];
}
