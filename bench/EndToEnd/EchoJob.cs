using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gstd.Sandbox.Running;
using Hangfire;

namespace Gstd.Bench.EndToEnd;

/// <summary>
/// The Hangfire job doing what a GSTD task does: the same echo module in the same Wasmtime sandbox on the same
/// input, its output kept as the job's result. Retries as GSTD's backoff does (1 s, 5 s, 30 s).
/// </summary>
public static class EchoJob
{
    private static readonly ConcurrentDictionary<string, int> Attempts = new(StringComparer.Ordinal);
    private static SandboxRunner? _runner;
    private static RunRequest? _request;

    public static void Use(SandboxRunner runner, byte[] module) =>
        (_runner, _request) = (runner, new RunRequest("sha256:" + Convert.ToHexStringLower(SHA256.HashData(module)), module, Array.Empty<byte>(), "bench"u8.ToArray(), SandboxLimits.Default));

    /// <param name="key">The item's key, for the completion signal and scripted failures.</param>
    /// <param name="failures">How many attempts fail before one succeeds.</param>
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [1, 5, 30])]
    public static string Run(string key, string input, int failures)
    {
        if (failures > 0 && Attempts.AddOrUpdate(key, 1, (_, n) => n + 1) <= failures)
        {
            throw new InvalidOperationException($"Attempt of {key} scripted to fail.");
        }

        var result = _runner!.RunAsync(_request! with { Input = Convert.FromBase64String(input) }).GetAwaiter().GetResult();
        return result.Succeeded ? Convert.ToBase64String(result.Output) : throw new InvalidOperationException($"The echo module failed: {result.Outcome} {result.Detail}");
    }
}
