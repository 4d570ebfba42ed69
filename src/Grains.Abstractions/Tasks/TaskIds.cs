using System.Security.Cryptography;
using System.Text;
using Gstd.Identity;

namespace Gstd.Tasks;

public static class TaskIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New() => Ids.New("tsk");

    /// <summary>
    /// The id of the task an account's Idempotency-Key stands for: the same key always reaches the same task. It is
    /// keyed with the platform's secret (<see cref="ITaskIdKeyGrain"/>), so nobody outside can search keys for an id of
    /// their choosing.
    /// </summary>
    public static string ForIdempotencyKey(ReadOnlySpan<byte> secret, string accountId, string key)
    {
        var digest = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{accountId}\n{key}"));
        Span<char> chars = stackalloc char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[digest[i] & 31];
        }

        return string.Concat("tsk_", chars);
    }
}
