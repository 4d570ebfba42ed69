namespace Gstd.Grains.Scheduling;

/// <summary>
/// Rows whose wake-up failed, each left out of the sweeps for a while that doubles with every failure in a row
/// (1 s up to 5 min), so a row that always fails costs one call every few minutes and never fills a batch.
/// Soft state: a new activation tries every row again.
/// </summary>
public sealed class FailingRows
{
    /// <summary>At most this many rows are left out at once: past it, the ones due back soonest go back in.</summary>
    public const int Capacity = 1_000;

    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, (int Failures, DateTimeOffset RetryAt)> _rows = new(StringComparer.Ordinal);

    public int Count => _rows.Count;

    /// <summary>Records a failed wake-up and answers when the row is swept again.</summary>
    public DateTimeOffset Failed(string id, DateTimeOffset now)
    {
        var failures = _rows.TryGetValue(id, out var row) ? row.Failures + 1 : 1;
        var wait = TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Min(failures - 1, 20)));
        _rows[id] = (failures, now + wait);
        if (_rows.Count > Capacity)
        {
            _rows.Remove(_rows.MinBy(r => r.Value.RetryAt).Key);
        }

        return now + wait;
    }

    public void Succeeded(string id) => _rows.Remove(id);

    /// <summary>The rows to leave out of a sweep at <paramref name="now"/>.</summary>
    public string[] Skipped(DateTimeOffset now) => [.. _rows.Where(r => r.Value.RetryAt > now).Select(r => r.Key)];
}
