using System.Text.Json;

namespace Gstd.Disputes;

/// <summary>Dispute names and numbers as the API writes and reads them (<c>wrong_output</c>, <c>split</c>, a share in [0, 1]).</summary>
public static class DisputeWire
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static double? Share(int? basisPoints) => basisPoints / 10_000.0;
}
