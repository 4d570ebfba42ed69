using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace Gstd.Gateway.Http;

/// <summary>Opaque list cursors and the list conventions of API.md (limit 1–500, default 50).</summary>
public static class ListCursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static string Encode(long position)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string? cursor, out long? position)
    {
        position = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length != 8)
            {
                return false;
            }

            position = BinaryPrimitives.ReadInt64BigEndian(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool TryLimit(int? requested, out int limit)
    {
        limit = requested ?? DefaultLimit;
        return limit is >= 1 and <= MaxLimit;
    }
}

public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? NextCursor);
