using Gstd.Gateway.Realtime;
using Gstd.Realtime;

namespace Gstd.UnitTests.Realtime;

/// <summary>
/// A topic in memory whose live deliveries the test makes by hand, so batches can be lost, repeated or reordered on
/// the way; history keeps the last <see cref="Retention"/> events, as the table keeps the last thousand.
/// </summary>
internal sealed class FakeTopicSource : ITopicSource
{
    public const int Retention = 50;

    public string Epoch { get; private set; } = "e1";

    public List<TopicEvent> Events { get; } = [];

    public long Head => Events.Count == 0 ? 0 : Events[^1].Offset;

    public TopicPosition Position => new(Epoch, Head);

    /// <summary>Where the last subscription made takes its deliveries.</summary>
    public Func<string, IReadOnlyList<TopicEvent>, Task>? Deliver { get; private set; }

    /// <summary>Stream subscriptions open now.</summary>
    public int Following { get; private set; }

    /// <summary>Reads of history made (subscribes that asked for a replay).</summary>
    public int Replays { get; private set; }

    /// <summary>When set, the next read answers the state of its call only once the gate opens (a slow replay).</summary>
    public Task? NextReadGate { get; set; }

    /// <summary>Appends a batch and answers it as the stream would deliver it.</summary>
    public IReadOnlyList<TopicEvent> Append(int count, Func<long, string?> taskOf)
    {
        var batch = Enumerable.Range(1, count)
            .Select(i => Head + i)
            .Select(o => new TopicEvent(o * 1000, "task.updated", DateTimeOffset.UnixEpoch, taskOf(o) is { } task ? $$"""{"taskId":"{{task}}"}""" : "{}", o))
            .ToList();
        Events.AddRange(batch);
        return batch;
    }

    /// <summary>A topic whose history is gone: a new epoch whose offsets start again.</summary>
    public void Restart(string epoch)
    {
        Epoch = epoch;
        Events.Clear();
    }

    public async Task<Subscription> ReadAsync(string topic, string? sinceEpoch, long? sinceOffset)
    {
        var answer = Answer(sinceEpoch, sinceOffset);
        Replays += sinceOffset is null ? 0 : 1;
        if (NextReadGate is { } gate)
        {
            NextReadGate = null;
            await gate;
        }

        return answer;
    }

    public Task<IReadOnlyDictionary<string, TopicPosition>> HeadsAsync(IReadOnlyList<string> topics) =>
        Task.FromResult<IReadOnlyDictionary<string, TopicPosition>>(topics.ToDictionary(t => t, _ => Position));

    public Task<IAsyncDisposable> FollowAsync(string topic, TopicToken? from, Func<string, IReadOnlyList<TopicEvent>, Task> deliver)
    {
        Following++;
        Deliver = deliver;
        return Task.FromResult<IAsyncDisposable>(new Follow(this));
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

    private sealed class Follow(FakeTopicSource source) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            source.Following--;
            return ValueTask.CompletedTask;
        }
    }
}
