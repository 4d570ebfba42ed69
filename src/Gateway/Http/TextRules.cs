namespace Gstd.Gateway.Http;

/// <summary>
/// What text the platform stores and shows. No string may hold NUL (PostgreSQL's text cannot) or half of a
/// surrogate pair (it is not Unicode and cannot be encoded); a name shown to other people may also hold no control
/// characters and no bidirectional overrides or isolates, which could make it read as something else.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="text"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(string text, bool isName = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "Must be valid Unicode text (it holds half of a surrogate pair).";
            }

            if (c == '\0')
            {
                return "Must not contain NUL characters.";
            }

            if (isName && char.IsControl(c))
            {
                return "Must not contain control characters.";
            }

            if (isName && IsBidiControl(c))
            {
                return "Must not contain bidirectional override or isolate characters.";
            }
        }

        return null;
    }

    /// <summary>Whether a query or path value is acceptable: no control characters at all.</summary>
    public static string? ParameterProblem(string value) =>
        value.Any(char.IsControl) ? "Must not contain control characters." : Problem(value);

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
