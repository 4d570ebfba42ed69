using System.Globalization;
using System.Text;
using Gstd.Tasks;
using Microsoft.AspNetCore.WebUtilities;

namespace Gstd.Gateway.Tasks;

/// <summary>Opaque cursors over task lists: the sort time and id of the last item of a page.</summary>
public static class TaskCursors
{
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
