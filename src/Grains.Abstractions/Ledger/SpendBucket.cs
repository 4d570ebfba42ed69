namespace Gstd.Ledger;

/// <summary>How wide a bucket of spend analytics is; buckets start on UTC boundaries of their width.</summary>
[GenerateSerializer, Alias("gstd.SpendBucketWidth")]
public enum SpendBucketWidth
{
    Minute = 0,
    Hour = 1,
    Day = 2,
}

/// <summary>The buckets starting in [<see cref="From"/>, <see cref="To"/>), both aligned to the width.</summary>
[GenerateSerializer, Immutable, Alias("gstd.SpendQuery")]
public sealed record SpendQuery(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] SpendBucketWidth Width);

/// <summary>
/// A client's money in one bucket, in nano-GSTD: <see cref="Held"/> placed in escrow, <see cref="Spent"/> paid out of
/// escrow to workers and fees, <see cref="Refunded"/> returned from escrow to the client.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.SpendBucket")]
public sealed record SpendBucket(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] long Spent,
    [property: Id(2)] long Refunded,
    [property: Id(3)] long Held);
