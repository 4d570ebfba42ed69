using Orleans.Concurrency;

namespace Gstd.Realtime;

/// <summary>
/// One event topic (<c>account:{id}</c>, <c>worker:{id}</c>): its events have consecutive offsets within an
/// epoch; it keeps a recent tail in memory for replay after reconnects and delivers to subscribed sockets.
/// Its history is stored before delivery, so a new activation continues the epoch; a new epoch (a topic whose
/// history is gone) tells a subscriber that continuity was lost.
/// </summary>
[Alias("gstd.ITopicGrain")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Stores and delivers events published directly (not through the outbox); an event id seen before is ignored.</summary>
    [Alias("Publish")]
    Task Publish(IReadOnlyList<TopicEvent> events);

    /// <summary>Delivers events the outbox relay has stored at the epoch's next offsets.</summary>
    [Alias("Appended")]
    Task Appended(string epoch, IReadOnlyList<TopicEvent> events);

    /// <summary>Registers (or refreshes) a subscriber and answers what it missed since its last position.</summary>
    [Alias("Subscribe")]
    Task<Subscription> Subscribe(ITopicSubscriber subscriber, string? sinceEpoch, long? sinceOffset);

    [Alias("Unsubscribe")]
    Task Unsubscribe(ITopicSubscriber subscriber);
}

/// <summary>A socket's end of a topic subscription.</summary>
[Alias("gstd.ITopicSubscriber")]
public interface ITopicSubscriber : IGrainObserver
{
    [Alias("Deliver"), OneWay]
    Task Deliver(string topic, string epoch, IReadOnlyList<TopicEvent> events);
}

/// <summary>One event as it travels: its id, kind, time, JSON payload and (once sequenced) its offset.</summary>
[GenerateSerializer, Immutable, Alias("gstd.TopicEvent")]
public sealed record TopicEvent(
    [property: Id(0)] long Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string PayloadJson,
    [property: Id(4)] long Offset);

/// <summary>The answer to a subscribe: the topic's position and, when continuity holds, the events missed.</summary>
[GenerateSerializer, Immutable, Alias("gstd.Subscription")]
public sealed record Subscription(
    [property: Id(0)] string Epoch,
    [property: Id(1)] long Offset,
    [property: Id(2)] bool Recovered,
    [property: Id(3)] IReadOnlyList<TopicEvent> Missed);

/// <summary>Moves outbox rows to their topics after commit; kept alive by a reminder.</summary>
[Alias("gstd.IOutboxRelayGrain")]
public interface IOutboxRelayGrain : IGrainWithIntegerKey
{
    [Alias("Start")]
    Task Start();
}
