using Gstd.Realtime;
using Microsoft.Extensions.Logging;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// A silo's single subscription to one topic grain, shared by every local socket that follows the topic. Live
/// batches are taken strictly in offset order: a hole (a batch lost or overtaken on the way) is filled from the
/// grain before anything after it is sent, and a topic that restarted in a new epoch — or whose history no
/// longer reaches back — sends every listener <c>resync</c>. Each event is serialized once for all listeners.
/// </summary>
public sealed class SharedTopic(string grainTopic, IGrainFactory grains, ILogger logger) : ITopicSubscriber
{
    /// <summary>Frames of the epoch's recent events: sockets catching up on the same stretch share them.</summary>
    private const int RecentLength = 1000;
    private const int RecentBytes = 512 * 1024;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<TopicListener> _listeners = [];
    private readonly SortedDictionary<long, EventFrames> _recent = [];
    private long _recentBytes;
    private ITopicSubscriber? _reference;
    private string? _epoch;
    private long _head;

    public string GrainTopic => grainTopic;

    /// <summary>Sockets holding this topic (guarded by the hub, which creates and drops shared topics).</summary>
    public int Holders { get; set; }

    private ITopicGrain Grain => grains.GetGrain<ITopicGrain>(grainTopic);

    /// <summary>
    /// Adds a listener: asks the grain for what it missed since <paramref name="sinceEpoch"/>/<paramref name="sinceOffset"/>
    /// outside the topic's lock (replays of one topic run side by side), holding back the live events that arrive
    /// meanwhile; then sends the <c>subscribed</c> reply, the replay (its frames shared with other sockets catching up
    /// on the same events) and the held events above it, in order.
    /// </summary>
    public async Task AttachAsync(TopicListener listener, string replyId, string? sinceEpoch, long? sinceOffset)
    {
        ITopicSubscriber reference;
        await _lock.WaitAsync();
        try
        {
            reference = _reference ??= grains.CreateObjectReference<ITopicSubscriber>(this);
            listener.Hold();
            _listeners.Add(listener);
        }
        finally
        {
            _lock.Release();
        }

        Subscription subscription;
        try
        {
            subscription = await Grain.Subscribe(reference, sinceEpoch, sinceOffset);
        }
        catch
        {
            await DetachAsync(listener);
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
                // This silo and the answer disagree on the epoch: the grain says which one is current.
                await CatchUpAsync();
            }

            var (held, mustResync) = listener.Release();
            listener.Position = subscription.Recovered && sinceOffset is { } since ? since : subscription.Offset;
            listener.Sink.Send(WireJson.Frame(new
            {
                type = "subscribed", id = replyId, topic = listener.ClientTopic, epoch = subscription.Epoch,
                offset = subscription.Offset, recovered = subscription.Recovered,
            }));
            foreach (var e in subscription.Missed)
            {
                SendTo(listener, FramesOf(subscription.Epoch, e));
            }

            listener.Position = Math.Max(listener.Position, subscription.Offset);
            if (mustResync || _epoch != subscription.Epoch)
            {
                listener.Position = _head;
                listener.Sink.Send(ResyncFrame(listener));
            }
            else
            {
                // Everything this silo took while the grain answered, in order; what the replay held is skipped.
                // Events between the replay and the first held one (another socket's first subscribe moved this
                // silo past them) come from the grain first.
                if ((held.Count > 0 ? held[0].Offset : _head + 1) > listener.Position + 1)
                {
                    var gap = await Grain.Subscribe(reference, _epoch, listener.Position);
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
            _lock.Release();
        }
    }

    public async Task DetachAsync(TopicListener listener)
    {
        await _lock.WaitAsync();
        try
        {
            _listeners.Remove(listener);
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
            if (_reference is { } reference)
            {
                _reference = null;
                grains.DeleteObjectReference<ITopicSubscriber>(reference);
                await Grain.Unsubscribe(reference);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Keeps the grain's registration alive and catches up on anything not delivered live — a trailing hole, or
    /// a topic grain that was activated again (a new activation knows no subscribers).
    /// </summary>
    public async Task RefreshAsync()
    {
        await _lock.WaitAsync();
        try
        {
            if (_reference is not null)
            {
                await CatchUpAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task Deliver(string topic, string epoch, IReadOnlyList<TopicEvent> events) => TakeAsync(epoch, events);

    private async Task TakeAsync(string epoch, IReadOnlyList<TopicEvent> events)
    {
        await _lock.WaitAsync();
        try
        {
            if (_reference is null)
            {
                return;
            }

            if (epoch != _epoch || (events.Count > 0 && events[0].Offset > _head + 1))
            {
                // A batch before this one has not arrived, or the topic restarted (or this is a late batch of an
                // epoch already left): the grain says in order what comes next, or that continuity is lost.
                await CatchUpAsync();
                return;
            }

            Send(epoch, events);
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
        var caughtUp = await Grain.Subscribe(_reference!, _epoch, _epoch is null ? null : _head);
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
                // Already taken from the grain while filling a hole.
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
}
