using System.Globalization;

namespace Gstd.Money;

/// <summary>
/// GSTD amounts: 64-bit nano-GSTD in code and storage, canonical decimal strings on the wire.
/// </summary>
public static class Money
{
    public const long NanoPerGstd = 1_000_000_000;
    public const int MaxDecimals = 9;

    /// <summary>
    /// Parses the wire form: ASCII digits, no sign, exponent, whitespace or leading zeros, and an optional
    /// '.' followed by 1–9 digits. Trailing zeros are accepted on input; output never has them.
    /// </summary>
    public static bool TryParse(string? text, out long nano)
    {
        nano = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text.AsSpan() : text.AsSpan(0, dot);
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : text.AsSpan(dot + 1);
        if (whole.Length == 0 || !AllDigits(whole) || (whole.Length > 1 && whole[0] == '0'))
        {
            return false;
        }

        if (dot >= 0 && (fraction.Length is 0 or > MaxDecimals || !AllDigits(fraction)))
        {
            return false;
        }

        if (!long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var units)
            || units > long.MaxValue / NanoPerGstd)
        {
            return false;
        }

        long fractionNano = 0;
        for (var i = 0; i < MaxDecimals; i++)
        {
            fractionNano = fractionNano * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        var total = (Int128)units * NanoPerGstd + fractionNano;
        if (total > long.MaxValue)
        {
            return false;
        }

        nano = (long)total;
        return true;
    }

    /// <summary>Formats a non-negative nano amount canonically: "1.25", "0.5", "3".</summary>
    public static string Format(long nano)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nano);
        var units = nano / NanoPerGstd;
        var fraction = nano % NanoPerGstd;
        if (fraction == 0)
        {
            return units.ToString(CultureInfo.InvariantCulture);
        }

        var digits = fraction.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return string.Concat(units.ToString(CultureInfo.InvariantCulture), ".", digits);
    }

    /// <summary>Formats a signed amount (journal lines): a leading '-' for debits.</summary>
    public static string FormatSigned(long nano) =>
        nano < 0 ? "-" + Format(-nano) : Format(nano);

    private static bool AllDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
