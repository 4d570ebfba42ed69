using System.Numerics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gstd.Protocol;

/// <summary>
/// What a worker signs and hashes (API.md, Encodings): the hello binding a socket to a worker, the result
/// signature, and the proof of work whose difficulty rises with the log of the price.
/// </summary>
public static class WorkerProof
{
    public const int MaxDifficulty = 12;

    /// <summary>The formula published by <c>GET /api/limits</c>.</summary>
    public const string DifficultyFormula = "min(12, floor(log2(priceNano / 1000000 + 1)))";

    public static byte[] HelloMessage(string workerId, string nonce) =>
        Encoding.UTF8.GetBytes($"gstd-hello:v1:{workerId}:{nonce}");

    public static byte[] ResultMessage(string taskId, long lease, string outputSha256, ulong powNonce) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"gstd-result:v1:{taskId}:{lease}:{outputSha256}:{powNonce}"));

    public static int Difficulty(long priceNano) =>
        Math.Min(MaxDifficulty, (int)Math.Floor(Math.Log2((priceNano / 1_000_000.0) + 1)));

    /// <summary>True when the proof-of-work hash has at least <paramref name="difficulty"/> leading zero bits.</summary>
    public static bool IsValidPow(string taskId, long lease, string outputSha256, string workerId, ulong powNonce, int difficulty) =>
        LeadingZeroBits(PowHash(taskId, lease, outputSha256, workerId, powNonce)) >= difficulty;

    /// <summary>The smallest nonce that satisfies the difficulty (what an agent computes).</summary>
    public static ulong SolvePow(string taskId, long lease, string outputSha256, string workerId, int difficulty)
    {
        for (ulong nonce = 0; ; nonce++)
        {
            if (IsValidPow(taskId, lease, outputSha256, workerId, nonce, difficulty))
            {
                return nonce;
            }
        }
    }

    public static byte[] PowHash(string taskId, long lease, string outputSha256, string workerId, ulong powNonce) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"gstd-pow:v1:{taskId}:{lease}:{outputSha256}:{workerId}:{powNonce}")));

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                bits += 8;
                continue;
            }

            return bits + BitOperations.LeadingZeroCount((uint)b) - 24;
        }

        return bits;
    }
}
