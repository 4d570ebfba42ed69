using CsCheck;
using Gstd.Ledger;

namespace Gstd.UnitTests.Ledger;

public sealed class SpendBucketsTests
{
    private static readonly Gen<SpendBucketWidth> Width = Gen.Enum<SpendBucketWidth>();
    private static readonly Gen<DateTimeOffset> Instant =
        Gen.Long[new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks, new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks]
            .Select(ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

    [Fact]
    public void Buckets_start_on_utc_boundaries_whatever_the_offset_of_the_instant()
    {
        var at = new DateTimeOffset(2026, 11, 27, 1, 30, 15, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero), SpendBuckets.Floor(at, SpendBucketWidth.Minute));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 23, 0, 0, TimeSpan.Zero), SpendBuckets.Floor(at, SpendBucketWidth.Hour));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), SpendBuckets.Floor(at, SpendBucketWidth.Day));
    }

    [Fact]
    public void The_cover_of_a_range_holds_every_instant_of_it_in_whole_buckets() =>
        Gen.Select(Instant, Gen.Long[1, TimeSpan.FromDays(3).Ticks], Width).Sample((from, length, width) =>
        {
            var to = from + TimeSpan.FromTicks(length);
            var cover = SpendBuckets.Cover(from, to, width);
            var bucket = SpendBuckets.Length(width);
            return cover.From <= from && cover.To >= to
                && cover.From > from - bucket && cover.To < to + bucket
                && SpendBuckets.Floor(cover.From, width) == cover.From && SpendBuckets.Floor(cover.To, width) == cover.To
                && SpendBuckets.Count(cover) * bucket.Ticks == (cover.To - cover.From).Ticks;
        });

    [Fact]
    public void An_aligned_range_covers_itself() =>
        Gen.Select(Instant, Gen.Int[1, 100], Width).Sample((at, count, width) =>
        {
            var from = SpendBuckets.Floor(at, width);
            var to = from + (SpendBuckets.Length(width) * count);
            return SpendBuckets.Cover(from, to, width) == new SpendQuery(from, to, width) && SpendBuckets.Count(new SpendQuery(from, to, width)) == count;
        });
}
