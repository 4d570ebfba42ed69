namespace Gstd.Realtime;

/// <summary>The Orleans stream of each topic: one stream provider over the outbox, one stream per topic.</summary>
public static class TopicStreams
{
    /// <summary>The persistent stream provider whose queues are the outbox's partitions.</summary>
    public const string Provider = "outbox";

    public const string Namespace = "topic";

    /// <summary>How many partitions the outbox has (fixed by migration 0016, which computes each row's).</summary>
    public const int Partitions = 8;

    public static StreamId StreamOf(string topic) => StreamId.Create(Namespace, topic);

    public static string TopicOf(StreamId stream) => stream.GetKeyAsString();
}
