namespace Gstd.Gateway.Realtime;

/// <summary>
/// One socket's subscription on a shared topic: the name the client used (<c>account</c>, <c>task:{id}</c>), an
/// optional task filter, and the last offset it was given, below which live events are not sent again.
/// </summary>
public sealed class TopicListener(IFrameSink sink, string clientTopic, string? taskFilter)
{
    public IFrameSink Sink => sink;

    public string ClientTopic => clientTopic;

    public string? TaskFilter => taskFilter;

    private List<EventFrames>? _held;
    private bool _mustResync;

    /// <summary>Guarded by the shared topic's lock, like everything here.</summary>
    public long Position { get; set; }

    /// <summary>From now on live events are held back: the listener's replay is being read.</summary>
    public void Hold() => _held = [];

    /// <summary>Holds an event while the replay is read; false once the listener is live.</summary>
    public bool Held(EventFrames frames)
    {
        _held?.Add(frames);
        return _held is not null;
    }

    /// <summary>Notes a resync for a listener whose replay is being read; false once it is live.</summary>
    public bool MarkResync()
    {
        _mustResync |= _held is not null;
        return _held is not null;
    }

    /// <summary>Goes live: answers what was held back and whether continuity was lost meanwhile.</summary>
    public (List<EventFrames> Held, bool MustResync) Release()
    {
        var released = (_held ?? [], _mustResync);
        (_held, _mustResync) = (null, false);
        return released;
    }
}
