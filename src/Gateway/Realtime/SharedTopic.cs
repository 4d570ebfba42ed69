using Gstd.Realtime;
using Microsoft.Extensions.Logging;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// A silo's single subscription to one topic's Orleans stream, shared by every local socket that follows the topic.
/// Live batches are taken strictly in offset order: a hole (a batch lost or overtaken on the way, a partition that
/// moved to another silo) is filled from history before anything after it is sent, and a topic that restarted in a
/// new epoch — or whose history no longer reaches back — sends every listener <c>resync</c>. Each event is
/// serialized once for all listeners.
/// </summary>
public sealed class SharedTopic(string grainTopic, ITopicSource source, ILogger logger)
{
    /// <summary>Frames of the epoch's recent events: sockets catching up on the same stretch share them.</summary>
    private const int RecentLength = 1000;
    private const int RecentBytes = 512 * 1024;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<TopicListener> _listeners = [];
    private readonly SortedDictionary<long, EventFrames> _recent = [];
    private long _recentBytes;
    private IAsyncDisposable? _following;

    /// <summary>
    /// The replay read from history in flight: sockets catching up from its position or later (a wave of reconnects
    /// after a restart) share it instead of each reading the same stretch.
    /// </summary>
    private ReplayRead? _replay;
    private bool _closed;
    private string? _epoch;
    private long _head;

    public string GrainTopic => grainTopic;

    /// <summary>Sockets holding this topic (guarded by the hub, which creates and drops shared topics).</summary>
    public int Holders { get; set; }

    /// <summary>When the last socket let go, while none holds it (guarded by the hub).</summary>
    public long? IdleSince { get; set; }

    /// <summary>
    /// Adds a listener: reads what it missed since <paramref name="sinceEpoch"/>/<paramref name="sinceOffset"/> — from the
    /// frames this silo still holds when they reach back that far, else from history outside the topic's lock (replays
    /// of one topic run side by side) — holding back the live events that arrive meanwhile; then sends the
    /// <c>subscribed</c> reply, the replay and the held events above it, in order.
    /// </summary>
    public async Task AttachAsync(TopicListener listener, string replyId, string? sinceEpoch, long? sinceOffset)
    {
        ReplayRead replay;
        await _lock.WaitAsync();
        try
        {
            _following ??= await source.FollowAsync(grainTopic, null, TakeAsync);
            if (_epoch is not null && sinceEpoch == _epoch && sinceOffset is { } since && since >= 0 && since <= _head
                && _recent.Keys.Count(k => k > since && k <= _head) == _head - since)
            {
                // Everything missed is among this silo's recent frames: nothing to read. (Frames above the head are
                // a replay's, read from history ahead of the live stream; they may have holes below them.)
                listener.Position = since;
                listener.Sink.Send(SubscribedFrame(listener, replyId, _epoch, _head, recovered: true));
                foreach (var frames in _recent.Values.Where(f => f.Offset > since && f.Offset <= _head).ToList())
                {
                    SendTo(listener, frames);
                }

                _listeners.Add(listener);
                return;
            }

            listener.Hold();
            _listeners.Add(listener);
            replay = ReplayFrom(sinceEpoch, sinceOffset);
            replay.Sockets++;
        }
        finally
        {
            _lock.Release();
        }

        Subscription subscription;
        Subscription? own = null;
        try
        {
            subscription = await replay.Read;
            if (replay.Since != sinceOffset && !Covers(subscription, sinceEpoch!, sinceOffset!.Value))
            {
                subscription = own = await source.ReadAsync(grainTopic, sinceEpoch, sinceOffset);
            }
        }
        catch
        {
            await DetachAsync(listener, replay);
            throw;
        }

        await _lock.WaitAsync();
        try
        {
            if (_epoch is null)
            {
                (_epoch, _head) = (subscription.Epoch, subscription.Offset);
            }
            else if (_epoch != subscription.Epoch)
            {
                // This silo and the answer disagree on the epoch: history says which one is current.
                await CatchUpAsync();
            }

            var (held, mustResync) = listener.Release();
            listener.Position = subscription.Recovered && sinceOffset is { } since ? since : subscription.Offset;
            listener.Sink.Send(SubscribedFrame(listener, replyId, subscription.Epoch, subscription.Offset, subscription.Recovered));
            // A shared replay's frames are built once; each socket skips what lies below its own position.
            var replayed = own is null
                ? replay.Frames ??= [.. subscription.Missed.Select(e => FramesOf(subscription.Epoch, e))]
                : [.. subscription.Missed.Select(e => FramesOf(subscription.Epoch, e))];
            foreach (var frames in replayed)
            {
                SendTo(listener, frames);
            }

            listener.Position = Math.Max(listener.Position, subscription.Offset);
            if (mustResync || _epoch != subscription.Epoch)
            {
                listener.Position = _head;
                listener.Sink.Send(ResyncFrame(listener));
            }
            else
            {
                // Everything this silo took while history answered, in order; what the replay held is skipped.
                // Events between the replay and the first held one (another socket's first subscribe moved this
                // silo past them) come from history first.
                if ((held.Count > 0 ? held[0].Offset : _head + 1) > listener.Position + 1)
                {
                    var gap = await source.ReadAsync(grainTopic, _epoch, listener.Position);
                    if (!gap.Recovered || gap.Epoch != _epoch)
                    {
                        listener.Position = _head;
                        listener.Sink.Send(ResyncFrame(listener));
                        return;
                    }

                    gap.Missed.ToList().ForEach(e => SendTo(listener, FramesOf(gap.Epoch, e)));
                }

                held.ForEach(frames => SendTo(listener, frames));
            }
        }
        finally
        {
            Leave(replay);
            _lock.Release();
        }
    }

    /// <summary>
    /// The read that answers a socket's subscribe: the replay in flight when it reads from this position or before in
    /// the same epoch, else a new one (guarded by the lock).
    /// </summary>
    private ReplayRead ReplayFrom(string? sinceEpoch, long? sinceOffset)
    {
        if (sinceEpoch is null || sinceOffset is not { } since)
        {
            return new ReplayRead(null, source.ReadAsync(grainTopic, sinceEpoch, sinceOffset));
        }

        if (_replay is { } replay && replay.Epoch == sinceEpoch && replay.Since <= since && !replay.Read.IsCompleted)
        {
            return replay;
        }

        return _replay = new ReplayRead(sinceEpoch, source.ReadAsync(grainTopic, sinceEpoch, since)) { Since = since };
    }

    /// <summary>A socket is done with a replay; the last one lets go of its events (guarded by the lock).</summary>
    private void Leave(ReplayRead replay)
    {
        if (--replay.Sockets == 0 && _replay == replay)
        {
            _replay = null;
        }
    }

    /// <summary>
    /// Whether a shared replay answers a socket that replays from a later position: not when the read found continuity
    /// lost where it started, or the topic ended below this position; that socket reads on its own.
    /// </summary>
    private static bool Covers(Subscription read, string sinceEpoch, long since) =>
        read.Recovered && read.Epoch == sinceEpoch && since <= read.Offset;

    private static ReadOnlyMemory<byte> SubscribedFrame(TopicListener listener, string replyId, string epoch, long offset, bool recovered) =>
        WireJson.Frame(new { type = "subscribed", id = replyId, topic = listener.ClientTopic, epoch, offset, recovered });

    public Task DetachAsync(TopicListener listener) => DetachAsync(listener, null);

    private async Task DetachAsync(TopicListener listener, ReplayRead? replay)
    {
        await _lock.WaitAsync();
        try
        {
            _listeners.Remove(listener);
            if (replay is not null)
            {
                Leave(replay);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Ends the silo's subscription once the last socket let go.</summary>
    public async Task CloseAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _closed = true;
            if (_following is { } following)
            {
                _following = null;
                await following.DisposeAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Catches up on anything not delivered live — a trailing hole, or a topic that restarted in a new epoch — when
    /// history is ahead of what this silo took (<paramref name="stored"/> is where the topic stood a moment ago).
    /// </summary>
    public async Task RefreshAsync(TopicPosition stored)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_closed && _epoch is not null && (stored.Epoch != _epoch || stored.Head > _head))
            {
                await CatchUpAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A batch from the topic's stream, in the topic's <paramref name="epoch"/>.</summary>
    public async Task TakeAsync(string epoch, IReadOnlyList<TopicEvent> events)
    {
        await _lock.WaitAsync();
        try
        {
            // Before the first listener's answer from history nothing is known: that answer covers these events.
            if (_closed || _epoch is null)
            {
                return;
            }

            var history = events.Where(e => e.IsHistory).ToList();
            if (epoch != _epoch || (history.Count > 0 && history[0].Offset > _head + 1))
            {
                // A batch before this one has not arrived, or the topic restarted (or this is a late batch of an
                // epoch already left): history says in order what comes next, or that continuity is lost.
                await CatchUpAsync();
                return;
            }

            Send(epoch, history);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Delivering events of {Topic} failed", grainTopic);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task CatchUpAsync()
    {
        var caughtUp = await source.ReadAsync(grainTopic, _epoch, _epoch is null ? null : _head);
        if (caughtUp.Epoch != _epoch || !caughtUp.Recovered)
        {
            Resync(caughtUp.Epoch, caughtUp.Offset);
            return;
        }

        Send(caughtUp.Epoch, caughtUp.Missed);
        _head = Math.Max(_head, caughtUp.Offset);
    }

    private void Send(string epoch, IReadOnlyList<TopicEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Offset <= _head)
            {
                // Already taken from history while filling a hole.
                continue;
            }

            var frames = FramesOf(epoch, e);
            foreach (var listener in _listeners)
            {
                if (!listener.Held(frames))
                {
                    SendTo(listener, frames);
                }
            }

            _head = e.Offset;
        }
    }

    /// <summary>An event's frames, built once while it is recent (guarded by the lock).</summary>
    private EventFrames FramesOf(string epoch, TopicEvent e)
    {
        if (epoch != _epoch)
        {
            return new EventFrames(epoch, e);
        }

        if (!_recent.TryGetValue(e.Offset, out var frames))
        {
            frames = new EventFrames(epoch, e);
            _recent[e.Offset] = frames;
            _recentBytes += frames.Size;
            while (_recent.Count > RecentLength || (_recentBytes > RecentBytes && _recent.Count > 1))
            {
                var oldest = _recent.First();
                _recent.Remove(oldest.Key);
                _recentBytes -= oldest.Value.Size;
            }
        }

        return frames;
    }

    private static void SendTo(TopicListener listener, EventFrames frames)
    {
        if (frames.Offset <= listener.Position)
        {
            // This listener's replay already held it.
            return;
        }

        listener.Position = frames.Offset;
        if (listener.TaskFilter is null || listener.TaskFilter == frames.TaskId)
        {
            listener.Sink.Send(frames.For(listener.ClientTopic));
        }
    }

    private void Resync(string epoch, long offset)
    {
        (_epoch, _head) = (epoch, offset);
        _recent.Clear();
        _recentBytes = 0;
        foreach (var listener in _listeners.Where(l => !l.MarkResync()))
        {
            listener.Position = offset;
            listener.Sink.Send(ResyncFrame(listener));
        }
    }

    private ReadOnlyMemory<byte> ResyncFrame(TopicListener listener) =>
        WireJson.Frame(new { type = "resync", topic = listener.ClientTopic, epoch = _epoch, offset = _head });

    /// <summary>A read of history and the sockets it answers (guarded by the lock); its frames are built once for all of them.</summary>
    private sealed class ReplayRead(string? epoch, Task<Subscription> read)
    {
        public string? Epoch => epoch;

        /// <summary>The offset the read replays from; null for a subscribe without a position.</summary>
        public long? Since { get; init; }

        public Task<Subscription> Read => read;

        public int Sockets { get; set; }

        public IReadOnlyList<EventFrames>? Frames { get; set; }
    }
}
