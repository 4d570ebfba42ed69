using System.Globalization;
using System.Text;
using Gstd.Tasks;
using Microsoft.AspNetCore.WebUtilities;

namespace Gstd.Gateway.Tasks;

/// <summary>Opaque cursors over task lists: the sort time and id of the last item of a page.</summary>
public static class TaskCursors
{
    /// <summary>A list request's page size and starting point; what is wrong with them goes into <paramref name="errors"/>.</summary>
    public static (int Limit, TaskCursor? After) ReadPage(int? limit, string? cursor, Dictionary<string, string[]> errors)
    {
        if (!Http.ListCursor.TryLimit(limit, out var pageSize))
        {
            errors["limit"] = [$"Must be between 1 and {Http.ListCursor.MaxLimit}."];
        }

        if (!TryDecode(cursor, out var after))
        {
            errors["cursor"] = ["Is not a cursor this API returned."];
        }

        return (pageSize, after);
    }

    public static string Encode(TaskCursor cursor) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{cursor.At.UtcTicks}|{cursor.Id}")));

    public static bool TryDecode(string? text, out TaskCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(text)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks <= DateTimeOffset.MaxValue.UtcTicks && Identity.Ids.IsWellFormed(parts[1]))
            {
                cursor = new TaskCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
