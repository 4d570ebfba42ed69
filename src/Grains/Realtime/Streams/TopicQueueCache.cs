using Gstd.Realtime;
using Orleans.Streams;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// The recent batches of one outbox partition, per topic, for the pulling agent to deliver from: a new subscriber
/// starts live, or where its token points while the cache still holds that stretch (a rewind). Bounded per topic (the
/// last 1,000 events or 512 KiB of payload) and in all; a cursor that fell behind an eviction goes on from the
/// oldest batch kept, and its subscriber, seeing the gap in offsets, reads it from history. Used by the agent's
/// single-threaded turn only.
/// </summary>
public sealed class TopicQueueCache : IQueueCache
{
    private const int TopicEvents = 1000;
    private const int TopicBytes = 512 * 1024;
    private const int TotalEvents = 100_000;

    /// <summary>How many rows the agent may ask the receiver for at a time.</summary>
    public const int ReadLimit = 500;

    private readonly Dictionary<StreamId, Topic> _topics = [];
    private readonly Queue<(Topic Topic, long Sequence)> _arrivals = new();
    private long _sequence;
    private int _events;

    private sealed class Topic
    {
        public readonly Queue<(long Sequence, TopicBatchContainer Batch)> Batches = new();
        public int Events;
        public long Bytes;
    }

    public int GetMaxAddCount() => ReadLimit;

    public bool IsUnderPressure() => false;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        foreach (var batch in messages.Cast<TopicBatchContainer>())
        {
            if (!_topics.TryGetValue(batch.StreamId, out var topic))
            {
                topic = new Topic();
                _topics[batch.StreamId] = topic;
            }

            var sequence = ++_sequence;
            topic.Batches.Enqueue((sequence, batch));
            topic.Events += batch.Events.Count;
            topic.Bytes += batch.Events.Sum(e => (long)e.PayloadJson.Length);
            _events += batch.Events.Count;
            _arrivals.Enqueue((topic, sequence));
            while (topic.Batches.Count > 1 && (topic.Events > TopicEvents || topic.Bytes > TopicBytes))
            {
                Evict(topic);
            }
        }

        while (_events > TotalEvents && _arrivals.TryDequeue(out var oldest))
        {
            if (oldest.Topic.Batches.TryPeek(out var first) && first.Sequence == oldest.Sequence)
            {
                Evict(oldest.Topic);
            }
        }
    }

    private void Evict(Topic topic)
    {
        var (_, batch) = topic.Batches.Dequeue();
        topic.Events -= batch.Events.Count;
        topic.Bytes -= batch.Events.Sum(e => (long)e.PayloadJson.Length);
        _events -= batch.Events.Count;
    }

    /// <summary>Nothing to hand back: the receiver stored the rows in history when it read them.</summary>
    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        purgedItems = [];
        return false;
    }

    [Obsolete("Use IQueueCache.TryGetCacheCursor instead.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => new Cursor(this, streamId, StartOf(streamId, token), token as TopicToken);

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(new Cursor(this, streamId, StartOf(streamId, token), token as TopicToken));

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(
            new Cursor(this, streamId, startPosition == StreamSubscriptionStartPosition.EarliestAvailable ? 0 : _sequence + 1, null));

    /// <summary>
    /// The first batch a cursor delivers: after everything cached for a live start, else the first whose last event is at or
    /// after the token (the oldest kept when the token is older still).
    /// </summary>
    private long StartOf(StreamId streamId, StreamSequenceToken? token)
    {
        if (token is not TopicToken position || !_topics.TryGetValue(streamId, out var topic))
        {
            return _sequence + 1;
        }

        var start = _sequence + 1;
        foreach (var (sequence, batch) in topic.Batches.Reverse())
        {
            if (batch.Epoch == position.Epoch && batch.LastToken.CompareTo(position) < 0)
            {
                break;
            }

            start = batch.Epoch == position.Epoch ? sequence : start;
        }

        return start;
    }

    private TopicBatchContainer? Next(StreamId streamId, ref long next)
    {
        if (!_topics.TryGetValue(streamId, out var topic))
        {
            return null;
        }

        foreach (var (sequence, batch) in topic.Batches)
        {
            if (sequence >= next)
            {
                next = sequence + 1;
                return batch;
            }
        }

        return null;
    }

    /// <summary>
    /// Walks one topic's batches from <paramref name="next"/>. The first batch is cut to start at <paramref name="start"/>:
    /// Orleans delivers whole batches, and a rewound subscriber must not see again what it had before.
    /// </summary>
    private sealed class Cursor(TopicQueueCache cache, StreamId streamId, long next, TopicToken? start) : IQueueCacheCursor
    {
        private long _next = next;
        private TopicToken? _start = start;
        private TopicBatchContainer? _current;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current;
        }

        [Obsolete("Use MoveNextWithResult instead.")]
        public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

        public QueueCacheCursorMoveResult MoveNextWithResult()
        {
            while (cache.Next(streamId, ref _next) is { } next)
            {
                var from = _start is { } start && start.Epoch == next.Epoch ? next.StartingAt(start) : next;
                if (from is not null)
                {
                    (_current, _start) = (from, null);
                    return QueueCacheCursorMoveResult.Success;
                }
            }

            return QueueCacheCursorMoveResult.NoData;
        }

        public void Refresh(StreamSequenceToken token)
        {
        }

        public void RecordDeliveryFailure()
        {
        }

        public void Dispose()
        {
        }
    }
}
