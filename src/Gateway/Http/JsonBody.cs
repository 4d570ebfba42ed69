using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>
/// Reads fields of a JSON request body one by one and collects a message per bad field, so a client
/// learns everything wrong with a request at once instead of a bare binding failure.
/// </summary>
public sealed class JsonBody
{
    private readonly JsonElement root;
    private readonly Dictionary<string, string[]> _errors;
    private readonly string _prefix;

    public JsonBody(JsonElement root)
        : this(root, null, "")
    {
    }

    private JsonBody(JsonElement root, JsonBody? parent, string prefix)
    {
        this.root = root;
        _errors = parent?._errors ?? new Dictionary<string, string[]>(StringComparer.Ordinal);
        _prefix = prefix;
    }

    public bool IsValid => _errors.Count == 0 && root.ValueKind == JsonValueKind.Object;

    public IResult Problem() => root.ValueKind == JsonValueKind.Object
        ? Problems.Validation(_errors)
        : Problems.Validation("body", "The body must be a JSON object.");

    /// <summary>A string within <paramref name="maxLength"/> that follows <see cref="TextRules"/> (as a name's when <paramref name="isName"/>).</summary>
    public string? String(string name, bool required, int maxLength, bool isName = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(name, "Must be a string.");
        }

        if (Text(value) is not { } text)
        {
            return Fail<string>(name, "Must be valid Unicode text (it holds half of a surrogate pair).");
        }

        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Fail<string>(name, "Must not be empty.");
        }

        if (text.Length > maxLength)
        {
            return Fail<string>(name, $"Must be at most {maxLength} characters.");
        }

        return TextRules.Problem(text, isName) is { } problem ? Fail<string>(name, problem) : text;
    }

    /// <summary>An optional ISO 8601 time with an offset, such as 2026-11-26T08:00:00Z, within <see cref="TimeRange"/>.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var time))
        {
            return Fail<DateTimeOffset?>(name, "Must be an ISO 8601 time such as 2026-11-26T08:00:00Z.");
        }

        return TimeRange.Problem(time) is { } problem ? Fail<DateTimeOffset?>(name, problem) : time;
    }

    /// <summary>The string's text; null when it cannot be decoded (an escaped lone surrogate).</summary>
    public static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A decimal unsigned 64-bit integer written as a string (digits only), such as a proof-of-work nonce.</summary>
    public ulong? UnsignedString(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && Text(value) is { Length: > 0 and <= 20 } text && text.All(char.IsAsciiDigit)
            && ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : Fail<ulong?>(name, "Must be a decimal string of an unsigned 64-bit integer, such as \"42\".");
    }

    /// <summary>Standard base64 of at most <paramref name="maxBytes"/> bytes.</summary>
    public byte[]? Base64(string name, bool required, int maxBytes)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || Text(value) is not { } text)
        {
            return Fail<byte[]>(name, "Must be a base64 string.");
        }

        if (text.Length > ((maxBytes + 2) / 3 * 4) + 4)
        {
            return Fail<byte[]>(name, $"Must encode at most {maxBytes} bytes.");
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && written <= maxBytes
            ? buffer[..written]
            : Fail<byte[]>(name, "Must be standard base64 of at most " + maxBytes + " bytes.");
    }

    /// <summary>An object field (such as a subscription's <c>since</c>), or null when absent.</summary>
    public JsonBody? Object(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? new JsonBody(value, this, name + ".") : Fail<JsonBody>(name, "Must be an object.");
    }

    /// <summary>Refuses every field of the object but <paramref name="known"/>, for a request where an unread field would change its meaning.</summary>
    public void OnlyFields(params string[] known)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name, StringComparer.Ordinal)))
        {
            Error(property.Name, "Is not a field of this request; the fields are " + string.Join(", ", known) + ".");
        }
    }

    /// <summary>The first message collected, as "field: message", for a reply that carries one line.</summary>
    public string FirstError => _errors.Select(e => $"{e.Key}: {e.Value[0]}").FirstOrDefault() ?? "The message must be a JSON object.";

    /// <summary>A money field: a canonical decimal string in GSTD, returned in nano-GSTD.</summary>
    public long? Money(string name, bool required, long max)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !Gstd.Money.Money.TryParse(Text(value), out var nano))
        {
            return Fail<long>(name, "Must be a decimal string in GSTD such as \"1.25\": digits, at most 9 decimals, no sign, exponent or leading zeros.");
        }

        if (nano <= 0)
        {
            return Fail<long>(name, "Must be greater than zero.");
        }

        return nano > max ? Fail<long>(name, $"Must be at most {Gstd.Money.Money.Format(max)}.") : nano;
    }

    public string[]? StringArray(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            return Fail<string[]>(name, "Must be an array of strings.");
        }

        var items = value.EnumerateArray().Select(Text).ToArray();
        return items.Any(item => item is null || TextRules.Problem(item) is not null)
            ? Fail<string[]>(name, "Must hold valid Unicode text without NUL characters.")
            : [.. items.Select(item => item!)];
    }

    /// <summary>A whole number in [min, max]; when absent, the default (or an error when required).</summary>
    public long Integer(string name, long min, long max, long fallback, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            return Fail<long>(name, "Must be a whole number.");
        }

        return number < min || number > max ? Fail<long>(name, $"Must be between {min} and {max}.") : number;
    }

    /// <summary>An optional number in [min, max]; the default when absent.</summary>
    public double Number(string name, double min, double max, double fallback)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            return Fail<double>(name, "Must be a number.");
        }

        return number < min || number > max ? Fail<double>(name, $"Must be between {min} and {max}.") : number;
    }

    /// <summary>An optional ratio in [0, 1] with at most 4 decimals, in basis points (0.25 is 2,500); null when absent.</summary>
    public int? Ratio(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var ratio))
        {
            return Fail<int?>(name, "Must be a number between 0 and 1.");
        }

        if (ratio is < 0 or > 1 || ratio * 10_000 != decimal.Truncate(ratio * 10_000))
        {
            return Fail<int?>(name, "Must be a number between 0 and 1 with at most 4 decimals.");
        }

        return (int)(ratio * 10_000);
    }

    public void Error(string name, string message) => _errors[_prefix + name] = [message];

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        value = default;
        if (root.ValueKind != JsonValueKind.Object)
        {
            if (required)
            {
                Error(name, "Is required.");
            }

            return false;
        }

        if (!root.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(name, "Is required.");
            }

            return false;
        }

        return true;
    }

    private T? Fail<T>(string name, string message)
    {
        Error(name, message);
        return default;
    }
}
