using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gstd.Grains.Verification;

/// <summary>Adaptive replication for single results: whom the platform checks, and how often.</summary>
public static class SpotChecks
{
    /// <summary>
    /// Whether the platform re-executes this result: always while the account has fewer than
    /// <see cref="VerificationOptions.TrustedAfter"/> verified results in a row, then for a sample of tasks
    /// chosen by a hash of the task id (the same task is always in or out of the sample, whichever silo asks).
    /// </summary>
    public static bool ShouldCheck(int verifiedStreak, string taskId, VerificationOptions options)
    {
        if (verifiedStreak < options.TrustedAfter)
        {
            return true;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(taskId));
        var draw = BinaryPrimitives.ReadUInt32BigEndian(hash) / (double)uint.MaxValue;
        return draw < options.SampleRate;
    }
}
