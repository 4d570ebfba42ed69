using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gstd.Grains.Tasks;

/// <summary>
/// How long a failed task waits before its next attempt: 1 s after the first failure, 5 s after the second,
/// 30 s after any later one, each ±20 %. The jitter is drawn from the task id and attempt number, so tasks
/// that failed together spread out, while one task's schedule is the same however often it is computed.
/// </summary>
public static class Backoff
{
    private static readonly TimeSpan[] Steps = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)];

    public const double Jitter = 0.2;

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt (1-based).</summary>
    public static TimeSpan Delay(string taskId, int failures)
    {
        var step = Steps[Math.Clamp(failures, 1, Steps.Length) - 1];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{taskId}:{failures}"));
        var unit = BinaryPrimitives.ReadUInt64LittleEndian(hash) / (double)ulong.MaxValue;
        return step * (1 - Jitter + (2 * Jitter * unit));
    }

    /// <summary>The undisturbed step for the <paramref name="failures"/>-th failure.</summary>
    public static TimeSpan Step(int failures) => Steps[Math.Clamp(failures, 1, Steps.Length) - 1];
}
