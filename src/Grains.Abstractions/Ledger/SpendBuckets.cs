namespace Gstd.Ledger;

/// <summary>The arithmetic of spend buckets: their length, and the UTC boundaries they start on.</summary>
public static class SpendBuckets
{
    /// <summary>The most buckets one request may ask for (a day of minutes).</summary>
    public const int MaxCount = 1440;

    public static TimeSpan Length(SpendBucketWidth width) => width switch
    {
        SpendBucketWidth.Minute => TimeSpan.FromMinutes(1),
        SpendBucketWidth.Hour => TimeSpan.FromHours(1),
        SpendBucketWidth.Day => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(width), width, null),
    };

    /// <summary>The start of the bucket holding <paramref name="at"/>, in UTC.</summary>
    public static DateTimeOffset Floor(DateTimeOffset at, SpendBucketWidth width)
    {
        var ticks = Length(width).Ticks;
        var utc = at.UtcTicks;
        return new DateTimeOffset(utc - (utc % ticks), TimeSpan.Zero);
    }

    /// <summary>The start of the first bucket at or after <paramref name="at"/>.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset at, SpendBucketWidth width)
    {
        var floor = Floor(at, width);
        return floor == at ? floor : floor + Length(width);
    }

    /// <summary>
    /// The aligned range of buckets covering [<paramref name="from"/>, <paramref name="to"/>): from the bucket holding
    /// <paramref name="from"/> to the end of the one holding the last instant before <paramref name="to"/>.
    /// </summary>
    public static SpendQuery Cover(DateTimeOffset from, DateTimeOffset to, SpendBucketWidth width) =>
        new(Floor(from, width), Ceiling(to, width), width);

    public static long Count(SpendQuery query) => (query.To - query.From).Ticks / Length(query.Width).Ticks;
}
