namespace Gstd.Testing;

/// <summary>Nearest-rank percentiles for benchmark reports.</summary>
public static class Percentiles
{
    /// <summary>The value at fraction <paramref name="p"/> (0–1) of the sorted values, NaN for none.</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
