using Gstd.Realtime;

namespace Gstd.Gateway.Realtime;

/// <summary>What a silo's shared topic reads from: the topic's Orleans stream, live, and its history in the table.</summary>
public interface ITopicSource
{
    /// <summary>The topic's position and, when continuity holds since the given one, the events missed.</summary>
    Task<Subscription> ReadAsync(string topic, string? sinceEpoch, long? sinceOffset);

    /// <summary>Where these topics stand, in one read.</summary>
    Task<IReadOnlyDictionary<string, TopicPosition>> HeadsAsync(IReadOnlyList<string> topics);

    /// <summary>
    /// Subscribes to the topic's stream: live, or from <paramref name="from"/> where the stream's cache still holds
    /// it. Each batch goes to <paramref name="deliver"/> with the topic's epoch; disposing ends the subscription.
    /// </summary>
    Task<IAsyncDisposable> FollowAsync(string topic, TopicToken? from, Func<string, IReadOnlyList<TopicEvent>, Task> deliver);
}
