using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Realtime;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Sequences one topic. Each batch relayed from the outbox gets the next offsets of the epoch and is written to
/// <c>event_history</c> with the topic's head in one transaction before anyone sees it; a recent tail stays in
/// memory. Replays come from the tail, or from the table while retention (the last 1,000 events of the epoch,
/// none older than 24 h) still reaches back. An activation continues its predecessor's epoch only if that one
/// left in good order; after a crash it starts a new epoch, so subscribers are told continuity was lost.
/// </summary>
public sealed class TopicGrain(Postgres db, TimeProvider time) : Grain, ITopicGrain
{
    public const int HistoryLength = 1000;
    public static readonly TimeSpan HistoryAge = TimeSpan.FromHours(24);

    private const int TailLength = 256;
    private const int TrimEvery = 100;
    private static readonly TimeSpan SubscriberLifetime = TimeSpan.FromSeconds(60);

    private readonly LinkedList<TopicEvent> _tail = new();
    private readonly Dictionary<ITopicSubscriber, DateTimeOffset> _subscribers = [];
    private string _epoch = "";
    private long _offset;
    private long _trimmedAt;

    private string Topic => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var saved = await db.ReadAsync((connection, ct) => TopicStore.LoadAsync(connection, Topic, ct), cancellationToken);
        if (saved is { Clean: true })
        {
            (_epoch, _offset, _trimmedAt) = (saved.Epoch, saved.Head, saved.Head);
            var recent = await db.ReadAsync((connection, ct) => TopicStore.AfterAsync(connection, Topic, _epoch, _offset - TailLength, TailLength, ct), cancellationToken);
            recent.ForEach(e => _tail.AddLast(e));
        }
        else
        {
            (_epoch, _offset) = (Ids.New("ep"), 0);
        }

        await SavePositionAsync(clean: false, cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        // Every event is written before it is delivered, so leaving in good order is only saying so.
        await SavePositionAsync(clean: true, cancellationToken);

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
                var known = await TopicStore.KnownAsync(tx.Connection!, Topic, offered.Select(e => e.Id), ct);
                var offset = _offset;
                var sequenced = offered.Where(e => !known.Contains(e.Id)).Select(e => e with { Offset = ++offset }).ToList();
                if (sequenced.Count > 0)
                {
                    await TopicStore.AppendAsync(tx, Topic, _epoch, sequenced, ct);
                    await TopicStore.SaveAsync(tx.Connection!, tx, Topic, new TopicStore.Position(_epoch, offset, Clean: false), ct);
                }

                return sequenced;
            }, sequenced => sequenced.Count > 0, CancellationToken.None);
        }
        catch (CommitOutcomeUnknownException)
        {
            // Whether these offsets were taken is unknown: the next activation starts a new epoch.
            DeactivateOnIdle();
            throw;
        }

        if (fresh.Count == 0)
        {
            return;
        }

        _offset = fresh[^1].Offset;
        foreach (var e in fresh)
        {
            _tail.AddLast(e);
            if (_tail.Count > TailLength)
            {
                _tail.RemoveFirst();
            }
        }

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

    public async Task<Subscription> Subscribe(ITopicSubscriber subscriber, string? sinceEpoch, long? sinceOffset)
    {
        _subscribers[subscriber] = time.GetUtcNow() + SubscriberLifetime;
        if (sinceEpoch is null || sinceOffset is not { } since)
        {
            return new Subscription(_epoch, _offset, true, []);
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

    private Task SavePositionAsync(bool clean, CancellationToken cancellationToken) =>
        db.WriteAsync(async (tx, ct) =>
        {
            await TopicStore.SaveAsync(tx.Connection!, tx, Topic, new TopicStore.Position(_epoch, _offset, clean), ct);
            return true;
        }, _ => true, cancellationToken);
}
