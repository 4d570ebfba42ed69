using System.Security.Cryptography;
using System.Text;

namespace Gstd.Identity;

/// <summary>
/// API keys: "gstd_" followed by 256 random bits in base64url. The first characters after the marker are
/// a lookup prefix; only the SHA-256 of the whole key is stored.
/// </summary>
public static class ApiKey
{
    public const string Marker = "gstd_";
    public const int PrefixLength = 12;
    private const int SecretBytes = 32;
    private const int EncodedLength = 43;

    public static GeneratedApiKey Generate()
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        var key = Marker + secret;
        return new GeneratedApiKey(key, secret[..PrefixLength], Hash(key));
    }

    /// <summary>Extracts the lookup prefix of a well-formed key; false for anything else.</summary>
    public static bool TryGetPrefix(string? key, out string prefix)
    {
        prefix = string.Empty;
        if (key is null || key.Length != Marker.Length + EncodedLength || !key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key.AsSpan(Marker.Length))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        prefix = key.Substring(Marker.Length, PrefixLength);
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record GeneratedApiKey(string Key, string Prefix, byte[] Hash);
