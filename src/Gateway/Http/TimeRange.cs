namespace Gstd.Gateway.Http;

/// <summary>
/// The times a request may name: from 1970 to the end of 9998. Wider ones cannot be a task's or a ledger line's, and
/// at the edges of what .NET and PostgreSQL store, arithmetic on them (a bucket's end, a day after) overflows.
/// </summary>
public static class TimeRange
{
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string? Problem(DateTimeOffset time) =>
        time < Earliest || time >= Latest ? $"Must be from {Earliest:yyyy-MM-dd} to before {Latest:yyyy-MM-dd} (UTC)." : null;
}
