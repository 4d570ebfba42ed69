using Orleans.Streams;

namespace Gstd.Realtime;

/// <summary>
/// A position on a topic's stream: the topic's epoch and offset, and for events that are not history (offers and
/// revocations, which follow the event at <see cref="Offset"/>) their outbox row's id as <see cref="Index"/>, which
/// orders them after it and keeps each one's token unique (Orleans drops a batch whose first token equals the last
/// one delivered). History events have index 0. Tokens of one epoch order by offset, then index; epochs order by name, which only keeps the order total — a subscriber in another epoch is
/// answered with <c>recovered: false</c> or <c>resync</c> from history, never by this order.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.TopicToken")]
public sealed class TopicToken(string epoch, long offset, long index) : StreamSequenceToken
{
    [Id(0)]
    public string Epoch { get; } = epoch;

    [Id(1)]
    public long Offset { get; } = offset;

    [Id(2)]
    public long Index { get; } = index;

    public override long SequenceNumber { get => Offset; protected set => throw new NotSupportedException(); }

    public override int EventIndex { get => (int)Math.Min(Index, int.MaxValue); protected set => throw new NotSupportedException(); }

    /// <summary>The position just after offset <paramref name="offset"/>: a subscription from here gets what follows it.</summary>
    public static TopicToken After(string epoch, long offset) => new(epoch, offset, 1);

    public override bool Equals(StreamSequenceToken? other) =>
        other is TopicToken token && token.Epoch == Epoch && token.Offset == Offset && token.Index == Index;

    public override bool Equals(object? obj) => obj is StreamSequenceToken token && Equals(token);

    public override int GetHashCode() => HashCode.Combine(Epoch, Offset, Index);

    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is not TopicToken token)
        {
            throw new ArgumentOutOfRangeException(nameof(other), "Only positions on a topic compare with a topic position.");
        }

        var epochs = string.CompareOrdinal(Epoch, token.Epoch);
        return epochs != 0 ? epochs : Offset != token.Offset ? Offset.CompareTo(token.Offset) : Index.CompareTo(token.Index);
    }

    public override string ToString() => $"{Epoch}:{Offset}.{Index}";
}
