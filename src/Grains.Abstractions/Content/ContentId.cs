using System.Security.Cryptography;

namespace Gstd.Content;

/// <summary>Content addresses: "sha256:" and the lowercase hex SHA-256 of the bytes.</summary>
public static class ContentId
{
    private const string Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> bytes) => Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static bool IsWellFormed(string? id) =>
        id is { Length: 71 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;
}
