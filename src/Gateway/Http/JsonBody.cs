using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gstd.Gateway.Http;

/// <summary>
/// Reads fields of a JSON request body one by one and collects a message per bad field, so a client
/// learns everything wrong with a request at once instead of a bare binding failure.
/// </summary>
public sealed class JsonBody(JsonElement root)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0 && root.ValueKind == JsonValueKind.Object;

    public IResult Problem() => root.ValueKind == JsonValueKind.Object
        ? Problems.Validation(_errors)
        : Problems.Validation("body", "The body must be a JSON object.");

    public string? String(string name, bool required, int maxLength)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(name, "Must be a string.");
        }

        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Fail<string>(name, "Must not be empty.");
        }

        return text.Length > maxLength ? Fail<string>(name, $"Must be at most {maxLength} characters.") : text;
    }

    /// <summary>An optional ISO 8601 time with an offset, such as 2026-11-26T08:00:00Z.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        if (!TryGet(name, required: false, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time
            : Fail<DateTimeOffset?>(name, "Must be an ISO 8601 time such as 2026-11-26T08:00:00Z.");
    }

    /// <summary>A money field: a canonical decimal string in GSTD, returned in nano-GSTD.</summary>
    public long? Money(string name, bool required, long max)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !Gstd.Money.Money.TryParse(value.GetString(), out var nano))
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

        return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
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

    public void Error(string name, string message) => _errors[name] = [message];

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
