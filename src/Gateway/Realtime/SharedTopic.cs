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
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<TopicListener> _listeners = [];
    private ITopicSubscriber? _reference;
    private string? _epoch;
    private long _head;

    public string GrainTopic => grainTopic;

    /// <summary>Sockets holding this topic (guarded by the hub, which creates and drops shared topics).</summary>
    public int Holders { get; set; }

    private ITopicGrain Grain => grains.GetGrain<ITopicGrain>(grainTopic);

    /// <summary>
    /// Adds a listener: replays what it missed since <paramref name="sinceEpoch"/>/<paramref name="sinceOffset"/>
    /// and sends the <c>subscribed</c> reply and that replay before any live event, all under the topic's lock.
    /// </summary>
    public async Task<Subscription> AttachAsync(TopicListener listener, string replyId, string? sinceEpoch, long? sinceOffset)
    {
        await _lock.WaitAsync();
        try
        {
            _reference ??= grains.CreateObjectReference<ITopicSubscriber>(this);
            var subscription = await Grain.Subscribe(_reference, sinceEpoch, sinceOffset);
            Follow(subscription.Epoch, subscription.Offset);
            listener.Position = subscription.Recovered && sinceOffset is { } since ? since : subscription.Offset;
            listener.Sink.Send(WireJson.Frame(new
            {
                type = "subscribed", id = replyId, topic = listener.ClientTopic, epoch = subscription.Epoch,
                offset = subscription.Offset, recovered = subscription.Recovered,
            }));
            foreach (var e in subscription.Missed)
            {
                SendTo(listener, new EventFrames(subscription.Epoch, e));
            }

            listener.Position = subscription.Offset;

            _listeners.Remove(listener);
            _listeners.Add(listener);
            return subscription;
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
    /// a topic grain that restarted (after a crash it knows no subscribers and has a new epoch).
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

            var frames = new EventFrames(epoch, e);
            foreach (var listener in _listeners)
            {
                SendTo(listener, frames);
            }

            _head = e.Offset;
        }
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

    /// <summary>A first answer sets the position; an answer from a newer epoch means the topic restarted.</summary>
    private void Follow(string epoch, long offset)
    {
        if (_epoch is null)
        {
            (_epoch, _head) = (epoch, offset);
        }
        else if (epoch != _epoch)
        {
            Resync(epoch, offset);
        }
    }

    private void Resync(string epoch, long offset)
    {
        (_epoch, _head) = (epoch, offset);
        foreach (var listener in _listeners)
        {
            listener.Position = offset;
            listener.Sink.Send(WireJson.Frame(new { type = "resync", topic = listener.ClientTopic, epoch, offset }));
        }
    }
}
