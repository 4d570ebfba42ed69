using Gstd.Realtime;

namespace Gstd.StorageTests.Balancing;

/// <summary>Reads what a topic holds, as a socket replaying from the start of the topic's epoch would.</summary>
public sealed class TopicProbe : ITopicSubscriber
{
    public Task Deliver(string topic, string epoch, IReadOnlyList<TopicEvent> events) => Task.CompletedTask;

    public static async Task<IReadOnlyList<TopicEvent>> EventsAsync(IClusterClient client, string topic)
    {
        var position = await SubscribeAsync(client, topic, null, null);
        return (await SubscribeAsync(client, topic, position.Epoch, 0)).Missed;
    }

    /// <summary>One subscribe's answer, the subscription ended again at once.</summary>
    public static async Task<Subscription> SubscribeAsync(IClusterClient client, string topic, string? epoch, long? offset)
    {
        var probe = new TopicProbe();
        var reference = client.CreateObjectReference<ITopicSubscriber>(probe);
        try
        {
            var grain = client.GetGrain<ITopicGrain>(topic);
            var subscription = await grain.Subscribe(reference, epoch, offset);
            await grain.Unsubscribe(reference);
            return subscription;
        }
        finally
        {
            client.DeleteObjectReference<ITopicSubscriber>(reference);
            // Orleans holds the observer weakly: without this the probe may be collected before its reference is deleted.
            GC.KeepAlive(probe);
        }
    }
}
