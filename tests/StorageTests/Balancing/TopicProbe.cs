using Gstd.Realtime;

namespace Gstd.StorageTests.Balancing;

/// <summary>Reads what a topic holds, as a socket replaying from the start of the topic's epoch would.</summary>
public static class TopicProbe
{
    public static async Task<IReadOnlyList<TopicEvent>> EventsAsync(IClusterClient client, string topic)
    {
        var position = await SubscribeAsync(client, topic, null, null);
        return (await SubscribeAsync(client, topic, position.Epoch, 0)).Missed;
    }

    /// <summary>What a subscribe since this position is answered from history.</summary>
    public static Task<Subscription> SubscribeAsync(IClusterClient client, string topic, string? epoch, long? offset) =>
        client.GetGrain<ITopicHistoryGrain>(0).Read(topic, epoch, offset);
}
