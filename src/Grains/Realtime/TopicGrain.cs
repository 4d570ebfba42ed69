using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Realtime;

namespace Gstd.Grains.Realtime;

/// <summary>
/// One topic's live end: its position, a recent tail in memory and its subscribers. Events are stored with
/// consecutive offsets of the topic's epoch before anyone sees them — by the outbox relay for all topics of a pass in
/// one transaction (<see cref="Appended"/>), or here for events published directly (<see cref="Publish"/>). Replays
/// come from the tail, or from the table while retention (the last 1,000 events of the epoch, none older than 24 h)
/// still reaches back. Because nothing is delivered before it is stored, an activation — after a clean deactivation
/// or a crash alike — continues the epoch from the stored head; writers cannot fork the history, since each moves the
/// head only from the value it holds under lock or read. A new epoch starts only with a topic that has no history.
/// </summary>
public sealed class TopicGrain(Postgres db, TimeProvider time) : Grain, ITopicGrain
{
    public const int HistoryLength = 1000;
    public static readonly TimeSpan HistoryAge = TimeSpan.FromHours(24);

    /// <summary>
    /// The tail kept in memory: all the history a replay may need, so catching up does not read the table,
    /// unless the events are large — then at most <see cref="TailBytes"/> of payload, and the table serves the rest.
    /// </summary>
    private const int TailLength = HistoryLength;
    private const int TailBytes = 512 * 1024;
    /// <summary>History beyond retention is deleted each time a topic's head passes a multiple of this.</summary>
    public const int TrimEvery = 100;
    private static readonly TimeSpan SubscriberLifetime = TimeSpan.FromSeconds(60);

    private readonly LinkedList<TopicEvent> _tail = new();
    private long _tailBytes;
    private readonly Dictionary<ITopicSubscriber, DateTimeOffset> _subscribers = [];
    private string _epoch = "";
    private long _offset;
    private long _trimmedAt;

    private string Topic => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>Takes the topic's position and recent tail from the store.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var position = await db.ReadAsync((connection, ct) => TopicStore.ClaimAsync(connection, Topic, Ids.New("ep"), ct), cancellationToken);
        (_epoch, _offset, _trimmedAt) = (position.Epoch, position.Head, position.Head);
        var recent = await db.ReadAsync((connection, ct) => TopicStore.AfterAsync(connection, Topic, _epoch, _offset - TailLength, TailLength, ct), cancellationToken);
        _tail.Clear();
        _tailBytes = 0;
        recent.ForEach(Remember);
    }

    private void Remember(TopicEvent e)
    {
        _tail.AddLast(e);
        _tailBytes += e.PayloadJson.Length;
        while (_tail.Count > TailLength || (_tailBytes > TailBytes && _tail.Count > 1))
        {
            _tailBytes -= _tail.First!.Value.PayloadJson.Length;
            _tail.RemoveFirst();
        }
    }

    public async Task Publish(IReadOnlyList<TopicEvent> events)
    {
        var offered = events.DistinctBy(e => e.Id).ToList();
        if (offered.Count == 0)
        {
            return;
        }

        List<TopicEvent> fresh;
        try
        {
            fresh = await db.WriteAsync(async (tx, ct) =>
            {
                // An outbox row re-sent after a crash is recognised by its id, whichever epoch took it first.
                var known = await TopicStore.KnownAsync(tx.Connection!, [.. offered.Select(e => (Topic, e.Id))], ct);
                var offset = _offset;
                var sequenced = offered.Where(e => !known.Contains((Topic, e.Id))).Select(e => e with { Offset = ++offset }).ToList();
                if (sequenced.Count > 0)
                {
                    if (!await TopicStore.AdvanceAsync(tx, Topic, new TopicStore.Position(_epoch, _offset), offset, ct))
                    {
                        throw new StaleTopicException(Topic);
                    }

                    await TopicStore.AppendAsync(tx, [.. sequenced.Select(e => (Topic, _epoch, e))], ct);
                }

                return sequenced;
            }, sequenced => sequenced.Count > 0, CancellationToken.None);
        }
        catch (Exception e) when (e is CommitOutcomeUnknownException or StaleTopicException)
        {
            // Whether these offsets were taken is unknown, or another activation took offsets meanwhile: the next
            // activation reads the head again. The relay re-sends the batch; its ids say what is already stored.
            DeactivateOnIdle();
            throw;
        }

        if (fresh.Count == 0)
        {
            return;
        }

        _offset = fresh[^1].Offset;
        fresh.ForEach(Remember);

        Deliver(fresh);
        if (_offset - _trimmedAt >= TrimEvery)
        {
            _trimmedAt = _offset;
            await db.WriteAsync(async (tx, ct) =>
            {
                await TopicStore.TrimAsync(tx, Topic, _epoch, _offset, HistoryLength, time.GetUtcNow() - HistoryAge, ct);
                return true;
            }, _ => true, CancellationToken.None);
        }
    }

    public async Task Appended(string epoch, IReadOnlyList<TopicEvent> events)
    {
        if (events.Count == 0 || (epoch == _epoch && events[^1].Offset <= _offset))
        {
            // Already read from the store (this activation began after the relay committed them).
            return;
        }

        if (epoch == _epoch && events[0].Offset == _offset + 1)
        {
            _offset = events[^1].Offset;
            events.ToList().ForEach(Remember);
            Deliver(events);
            return;
        }

        // This activation missed appends (a pass whose hand-over was lost, or another writer): the store has them all.
        var (lastEpoch, lastOffset) = (_epoch, _offset);
        await LoadAsync(CancellationToken.None);
        Deliver([.. _tail.Where(e => _epoch != lastEpoch || e.Offset > lastOffset)]);
    }

    public async Task<Subscription> Subscribe(ITopicSubscriber subscriber, string? sinceEpoch, long? sinceOffset)
    {
        _subscribers[subscriber] = time.GetUtcNow() + SubscriberLifetime;
        if (sinceEpoch is null || sinceOffset is not { } since)
        {
            return new Subscription(_epoch, _offset, true, []);
        }

        if (sinceEpoch == _epoch && since > _offset)
        {
            // The subscriber saw more than this activation wrote: another activation of the topic did, for a
            // moment beside this one (membership changing). The store has it.
            await LoadAsync(CancellationToken.None);
        }

        if (sinceEpoch != _epoch || since < 0 || since > _offset || _offset - since > HistoryLength)
        {
            return new Subscription(_epoch, _offset, false, []);
        }

        var oldestInMemory = _tail.First?.Value.Offset ?? (_offset + 1);
        if (since + 1 >= oldestInMemory)
        {
            return new Subscription(_epoch, _offset, true, _tail.Where(e => e.Offset > since).ToList());
        }

        var missed = await db.ReadAsync((connection, ct) => TopicStore.AfterAsync(connection, Topic, _epoch, since, (int)(_offset - since), ct), CancellationToken.None);
        // Continuous only if retention still reaches back to the first event missed.
        return missed.Count == _offset - since && missed[0].Offset == since + 1
            ? new Subscription(_epoch, _offset, true, missed)
            : new Subscription(_epoch, _offset, false, []);
    }

    public Task Unsubscribe(ITopicSubscriber subscriber)
    {
        _subscribers.Remove(subscriber);
        return Task.CompletedTask;
    }

    private void Deliver(IReadOnlyList<TopicEvent> events)
    {
        var now = time.GetUtcNow();
        foreach (var (subscriber, expires) in _subscribers.ToList())
        {
            if (expires < now)
            {
                _subscribers.Remove(subscriber);
                continue;
            }

            _ = subscriber.Deliver(Topic, _epoch, events);
        }
    }
}
