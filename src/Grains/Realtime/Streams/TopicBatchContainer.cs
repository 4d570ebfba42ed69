using Gstd.Realtime;
using Orleans.Streams;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>One topic's events of one relay pass, as the pulling agent caches and delivers them.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TopicBatchContainer")]
public sealed class TopicBatchContainer(StreamId streamId, string epoch, long from, IReadOnlyList<TopicEvent> events) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public string Epoch { get; } = epoch;

    /// <summary>The topic's head before these events.</summary>
    [Id(2)]
    public long From { get; } = from;

    [Id(3)]
    public IReadOnlyList<TopicEvent> Events { get; } = events;

    public StreamSequenceToken SequenceToken => Tokens().First();

    /// <summary>The token of the last event: a cursor asked for a later position starts after this batch.</summary>
    public TopicToken LastToken => Tokens().Last();

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.Zip(Tokens(), (e, token) => Tuple.Create((T)(object)e, (StreamSequenceToken)token));

    public bool ImportRequestContext() => false;

    /// <summary>The events at or after <paramref name="position"/>, for a subscription that starts there; null when none is.</summary>
    public TopicBatchContainer? StartingAt(TopicToken position)
    {
        var tokens = Tokens().ToList();
        var first = tokens.FindIndex(t => t.CompareTo(position) >= 0);
        return first switch
        {
            0 => this,
            < 0 => null,
            _ => new TopicBatchContainer(StreamId, Epoch, Events[first].IsHistory ? Events[first].Offset - 1 : tokens[first].Offset, [.. Events.Skip(first)]),
        };
    }

    /// <summary>A history event's token is its offset; one that is not history follows the last history event before it.</summary>
    private IEnumerable<TopicToken> Tokens()
    {
        var offset = From;
        foreach (var e in Events)
        {
            offset = e.IsHistory ? e.Offset : offset;
            yield return new TopicToken(Epoch, offset, e.IsHistory ? 0 : e.Id);
        }
    }
}
