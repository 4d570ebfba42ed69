using System.Security.Cryptography;

namespace Gstd.Identity;

/// <summary>
/// Opaque ids: a short kind marker, '_' and 26 base32 characters (128 random bits). The marker and '_'
/// keep ids from parsing as hexadecimal integers, which Orleans would store as integer keys.
/// </summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New(string kind)
    {
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[bytes[i] & 31];
        }

        return string.Concat(kind, "_", chars);
    }

    /// <summary>True for strings that could be an id of ours: short, and no ':' or '/'.</summary>
    public static bool IsWellFormed(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
