using System.Text;

namespace Gstd.Realtime;

/// <summary>The Orleans stream of each topic: one stream provider over the outbox, one stream per topic.</summary>
public static class TopicStreams
{
    /// <summary>The persistent stream provider whose queues are the outbox's partitions.</summary>
    public const string Provider = "outbox";

    public const string Namespace = "topic";

    /// <summary>How many partitions the outbox has (fixed by migration 0016).</summary>
    public const int Partitions = 8;

    /// <summary>
    /// The partition of a topic's rows, as the database computes it (<c>outbox_partition</c>, migration 0017): 32-bit
    /// FNV-1a of the topic's UTF-8 bytes. A writer uses it to wake the partition's reader after its commit.
    /// </summary>
    public static int PartitionOf(string topic)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(topic))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % Partitions);
    }

    public static StreamId StreamOf(string topic) => StreamId.Create(Namespace, topic);

    public static string TopicOf(StreamId stream) => stream.GetKeyAsString();
}
