using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Realtime;
using Orleans.Concurrency;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Answers from the table what a subscriber missed: continuous only while the epoch is the same and retention (the
/// last 1,000 events of the epoch, none older than 24 h) still reaches back to the first event missed.
/// </summary>
[StatelessWorker]
public sealed class TopicHistoryGrain(Postgres db) : Grain, ITopicHistoryGrain
{
    public async Task<Subscription> Read(string topic, string? sinceEpoch, long? sinceOffset)
    {
        var position = await db.ReadAsync((connection, ct) => TopicStore.ClaimAsync(connection, topic, Ids.New("ep"), ct), CancellationToken.None);
        if (sinceEpoch is null || sinceOffset is not { } since)
        {
            return new Subscription(position.Epoch, position.Head, true, []);
        }

        if (sinceEpoch != position.Epoch || since < 0 || since > position.Head || position.Head - since > OutboxRelay.HistoryLength)
        {
            return new Subscription(position.Epoch, position.Head, false, []);
        }

        if (since == position.Head)
        {
            return new Subscription(position.Epoch, position.Head, true, []);
        }

        var missed = await db.ReadAsync(
            (connection, ct) => TopicStore.AfterAsync(connection, topic, position.Epoch, since, (int)(position.Head - since), ct), CancellationToken.None);
        return missed.Count == position.Head - since && missed[0].Offset == since + 1
            ? new Subscription(position.Epoch, position.Head, true, missed)
            : new Subscription(position.Epoch, position.Head, false, []);
    }

    public async Task<IReadOnlyDictionary<string, TopicPosition>> Heads(IReadOnlyList<string> topics)
    {
        var positions = await db.ReadAsync((connection, ct) => TopicStore.ClaimAllAsync(connection, topics, () => Ids.New("ep"), ct), CancellationToken.None);
        return positions;
    }
}
