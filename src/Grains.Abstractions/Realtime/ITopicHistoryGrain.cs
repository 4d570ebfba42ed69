namespace Gstd.Realtime;

/// <summary>
/// Reads topic history: where a topic stands and what a subscriber missed since its last position. A topic
/// (<c>account:{id}</c>, <c>worker:{id}</c>, <c>admin</c>, <c>network</c>) has consecutive offsets within an epoch;
/// a new epoch (a topic whose history is gone) tells a subscriber that continuity was lost. Local to the caller's
/// silo: it only reads the table.
/// </summary>
[Alias("gstd.ITopicHistoryGrain")]
public interface ITopicHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>The topic's position and, when continuity holds since the given one, the events after it.</summary>
    [Alias("Read")]
    Task<Subscription> Read(string topic, string? sinceEpoch, long? sinceOffset);

    /// <summary>The positions of these topics (a topic never written to is at offset 0 of a new epoch).</summary>
    [Alias("Heads")]
    Task<IReadOnlyDictionary<string, TopicPosition>> Heads(IReadOnlyList<string> topics);
}

/// <summary>
/// One event as it travels: its id, kind, time, JSON payload and offset. An offer or revocation to a worker's agent is
/// never history and has offset 0; its payload is the whole event object.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.TopicEvent")]
public sealed record TopicEvent(
    [property: Id(0)] long Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string PayloadJson,
    [property: Id(4)] long Offset)
{
    public bool IsHistory => Offset > 0;
}

/// <summary>Where a topic stands: its epoch and the offset of its last stored event.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TopicPosition")]
public sealed record TopicPosition([property: Id(0)] string Epoch, [property: Id(1)] long Head);

/// <summary>The answer to a subscribe: the topic's position and, when continuity holds, the events missed.</summary>
[GenerateSerializer, Immutable, Alias("gstd.Subscription")]
public sealed record Subscription(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Offset,
    [property: Id(2)] bool Recovered,
    [property: Id(3)] IReadOnlyList<TopicEvent> Missed);
