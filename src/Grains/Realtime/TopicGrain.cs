using Gstd.Identity;
using Gstd.Realtime;

namespace Gstd.Grains.Realtime;

/// <summary>Sequences one topic in memory; the outbox is the durable record until events are handed over.</summary>
public sealed class TopicGrain(TimeProvider time) : Grain, ITopicGrain
{
    private const int TailLength = 1024;
    private static readonly TimeSpan SubscriberLifetime = TimeSpan.FromSeconds(60);

    private readonly string _epoch = Ids.New("ep");
    private readonly LinkedList<TopicEvent> _tail = new();
    private readonly HashSet<long> _seen = [];
    private readonly Dictionary<ITopicSubscriber, DateTimeOffset> _subscribers = [];
    private long _offset;

    public Task Publish(IReadOnlyList<TopicEvent> events)
    {
        var fresh = new List<TopicEvent>();
        foreach (var e in events.Where(e => _seen.Add(e.Id)))
        {
            var sequenced = e with { Offset = ++_offset };
            _tail.AddLast(sequenced);
            fresh.Add(sequenced);
            if (_tail.Count > TailLength)
            {
                _seen.Remove(_tail.First!.Value.Id);
                _tail.RemoveFirst();
            }
        }

        if (fresh.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var (subscriber, expires) in _subscribers.ToList())
            {
                if (expires < now)
                {
                    _subscribers.Remove(subscriber);
                    continue;
                }

                _ = subscriber.Deliver(this.GetPrimaryKeyString(), _epoch, fresh);
            }
        }

        return Task.CompletedTask;
    }

    public Task<Subscription> Subscribe(ITopicSubscriber subscriber, string? sinceEpoch, long? sinceOffset)
    {
        _subscribers[subscriber] = time.GetUtcNow() + SubscriberLifetime;
        if (sinceEpoch is null || sinceOffset is null)
        {
            return Task.FromResult(new Subscription(_epoch, _offset, true, []));
        }

        var oldest = _tail.First?.Value.Offset ?? (_offset + 1);
        var continuous = sinceEpoch == _epoch && sinceOffset <= _offset && sinceOffset + 1 >= oldest;
        return Task.FromResult(continuous
            ? new Subscription(_epoch, _offset, true, _tail.Where(e => e.Offset > sinceOffset).ToList())
            : new Subscription(_epoch, _offset, false, []));
    }

    public Task Unsubscribe(ITopicSubscriber subscriber)
    {
        _subscribers.Remove(subscriber);
        return Task.CompletedTask;
    }
}
