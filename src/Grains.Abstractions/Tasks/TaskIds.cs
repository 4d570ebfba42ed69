using System.Security.Cryptography;
using System.Text;
using Gstd.Identity;

namespace Gstd.Tasks;

public static class TaskIds
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New() => Ids.New("tsk");

    /// <summary>The id of the task an account's Idempotency-Key stands for: the same key always reaches the same task.</summary>
    public static string ForIdempotencyKey(string accountId, string key)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId}\n{key}"));
        var chars = new char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[digest[i] & 31];
        }

        return "tsk_" + new string(chars);
    }
}
