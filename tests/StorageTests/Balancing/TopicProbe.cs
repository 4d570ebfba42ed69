using Gstd.Realtime;

namespace Gstd.StorageTests.Balancing;

/// <summary>Reads what a topic holds, as a socket replaying from the start of the topic's epoch would.</summary>
public sealed class TopicProbe : ITopicSubscriber
{
    public Task Deliver(string topic, string epoch, IReadOnlyList<TopicEvent> events) => Task.CompletedTask;

    public static async Task<IReadOnlyList<TopicEvent>> EventsAsync(IClusterClient client, string topic)
    {
        var probe = new TopicProbe();
        var reference = client.CreateObjectReference<ITopicSubscriber>(probe);
        try
        {
            var grain = client.GetGrain<ITopicGrain>(topic);
            var position = await grain.Subscribe(reference, null, null);
            var replay = await grain.Subscribe(reference, position.Epoch, 0);
            await grain.Unsubscribe(reference);
            return replay.Missed;
        }
        finally
        {
            client.DeleteObjectReference<ITopicSubscriber>(reference);
        }
    }
}
