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

    /// <summary>Guarded by the shared topic's lock.</summary>
    public long Position { get; set; }
}
