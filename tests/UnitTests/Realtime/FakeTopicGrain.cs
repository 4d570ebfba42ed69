using Gstd.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>
/// A topic grain in memory whose live deliveries the test makes by hand, so batches can be lost, repeated or
/// reordered on the way; replays keep the last <see cref="Retention"/> events, like the real one.
/// </summary>
internal sealed class FakeTopicGrain : ITopicGrain
{
    public const int Retention = 50;

    public string Epoch { get; private set; } = "e1";

    public List<TopicEvent> Events { get; } = [];

    public long Head => Events.Count == 0 ? 0 : Events[^1].Offset;

    public int Subscribers { get; private set; }

    /// <summary>When set, the next subscribe answers the state of its call only once the gate opens (a slow replay).</summary>
    public Task? NextSubscribeGate { get; set; }

    /// <summary>Appends a batch and answers it as the grain would deliver it.</summary>
    public IReadOnlyList<TopicEvent> Append(int count, Func<long, string?> taskOf)
    {
        var batch = Enumerable.Range(1, count)
            .Select(i => Head + i)
            .Select(o => new TopicEvent(o * 1000, "task.updated", DateTimeOffset.UnixEpoch, taskOf(o) is { } task ? $$"""{"taskId":"{{task}}"}""" : "{}", o))
            .ToList();
        Events.AddRange(batch);
        return batch;
    }

    /// <summary>A restart after a crash: a new epoch whose offsets start again.</summary>
    public void Restart(string epoch)
    {
        Epoch = epoch;
        Events.Clear();
    }

    public Task Publish(IReadOnlyList<TopicEvent> events) => throw new NotSupportedException();

    public Task Appended(string epoch, IReadOnlyList<TopicEvent> events) => throw new NotSupportedException();

    public async Task<Subscription> Subscribe(ITopicSubscriber subscriber, string? sinceEpoch, long? sinceOffset)
    {
        Subscribers = 1;
        var answer = Answer(sinceEpoch, sinceOffset);
        if (NextSubscribeGate is { } gate)
        {
            NextSubscribeGate = null;
            await gate;
        }

        return answer;
    }

    private Subscription Answer(string? sinceEpoch, long? sinceOffset)
    {
        if (sinceEpoch is null || sinceOffset is not { } since)
        {
            return new Subscription(Epoch, Head, true, []);
        }

        var missed = Events.Where(e => e.Offset > since).ToList();
        var continuous = sinceEpoch == Epoch && since <= Head && Head - since <= Retention;
        return continuous ? new Subscription(Epoch, Head, true, missed) : new Subscription(Epoch, Head, false, []);
    }

    public Task Unsubscribe(ITopicSubscriber subscriber)
    {
        Subscribers = 0;
        return Task.CompletedTask;
    }
}
