using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.StorageTests.Balancing;
using Gstd.Testing;
using Orleans.Core.Internal;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// Topic history in <c>event_history</c>: what a reconnecting client is sent survives the topic's grain, reaches
/// back as far as retention promises, and a topic whose grain crashed says plainly that continuity was lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicHistoryTests(ClusterFixture fixture)
{
    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Events_outlive_their_topic_grain_and_a_resent_event_is_not_sequenced_twice()
    {
        var topic = NewTopic();
        await PublishAsync(topic, 1, 3);
        var before = await SubscribeAsync(topic, null, null);
        Assert.Equal(3, before.Offset);

        await LeaveInGoodOrderAsync(topic);
        var replay = await SubscribeAsync(topic, before.Epoch, 0);

        Assert.True(replay.Recovered);
        Assert.Equal(before.Epoch, replay.Epoch);
        Assert.Equal([(1L, 1L), (2, 2), (3, 3)], replay.Missed.Select(e => (e.Offset, e.Id)));
        Assert.Equal(["kind-1", "kind-2", "kind-3"], replay.Missed.Select(e => e.Kind));

        // The relay re-sends rows it could not delete: only the new one gets an offset.
        await PublishAsync(topic, 2, 4);
        Assert.Equal(4, (await SubscribeAsync(topic, null, null)).Offset);
        Assert.Equal([4L], (await SubscribeAsync(topic, before.Epoch, 3)).Missed.Select(e => e.Id));
    }

    [Fact]
    public async Task A_replay_reaches_back_through_the_table_for_the_last_thousand_events_and_no_further()
    {
        var topic = NewTopic();
        for (var first = 1; first <= 1150; first += 50)
        {
            await PublishAsync(topic, first, first + 49);
        }

        var head = await SubscribeAsync(topic, null, null);
        Assert.Equal(1150, head.Offset);

        var fromTable = await SubscribeAsync(topic, head.Epoch, 850);
        Assert.True(fromTable.Recovered);
        Assert.Equal(Enumerable.Range(851, 300).Select(o => (long)o), fromTable.Missed.Select(e => e.Offset));

        var oldest = await SubscribeAsync(topic, head.Epoch, 1150 - TopicGrain.HistoryLength);
        Assert.True(oldest.Recovered);
        Assert.Equal(TopicGrain.HistoryLength, oldest.Missed.Count);

        var tooOld = await SubscribeAsync(topic, head.Epoch, 1150 - TopicGrain.HistoryLength - 1);
        Assert.False(tooOld.Recovered);
        Assert.Empty(tooOld.Missed);

        // Retention keeps the table bounded too.
        Assert.InRange(await ScalarAsync("SELECT count(*) FROM event_history WHERE topic = @topic", topic), TopicGrain.HistoryLength, TopicGrain.HistoryLength + 100);
    }

    [Fact]
    public async Task A_topic_whose_grain_did_not_leave_in_good_order_starts_a_new_epoch_and_says_continuity_was_lost()
    {
        var topic = NewTopic();
        await PublishAsync(topic, 1, 2);
        var before = await SubscribeAsync(topic, null, null);
        await LeaveInGoodOrderAsync(topic);
        // As if that activation had died with its silo: it never said it left.
        await ScalarAsync("UPDATE topics SET clean = false WHERE topic = @topic RETURNING 1", topic);

        var after = await SubscribeAsync(topic, before.Epoch, 2);

        Assert.False(after.Recovered);
        Assert.NotEqual(before.Epoch, after.Epoch);
        Assert.Equal(0, after.Offset);
        await PublishAsync(topic, 1, 3);
        Assert.Equal([(1L, 3L)], (await SubscribeAsync(topic, after.Epoch, 0)).Missed.Select(e => (e.Offset, e.Id)));
    }

    private static string NewTopic() => "test:" + Guid.NewGuid().ToString("N");

    private Task PublishAsync(string topic, long firstId, long lastId) =>
        Grains.GetGrain<ITopicGrain>(topic).Publish([.. Enumerable.Range((int)firstId, (int)(lastId - firstId + 1))
            .Select(id => new TopicEvent(id, $"kind-{id}", DateTimeOffset.UtcNow, $$"""{"n":{{id}}}""", 0))]);

    private async Task<Subscription> SubscribeAsync(string topic, string? epoch, long? offset)
    {
        var reference = Grains.CreateObjectReference<ITopicSubscriber>(new TopicProbe());
        try
        {
            var grain = Grains.GetGrain<ITopicGrain>(topic);
            var subscription = await grain.Subscribe(reference, epoch, offset);
            await grain.Unsubscribe(reference);
            return subscription;
        }
        finally
        {
            Grains.DeleteObjectReference<ITopicSubscriber>(reference);
        }
    }

    /// <summary>Deactivates the topic's grain the way Orleans does when it is idle, and waits until it has left.</summary>
    private async Task LeaveInGoodOrderAsync(string topic)
    {
        await Grains.GetGrain<ITopicGrain>(topic).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.Until(() => ScalarAsync("SELECT count(*) FROM topics WHERE topic = @topic AND clean", topic), clean => clean == 1,
            TimeSpan.FromSeconds(30), "the topic's grain to leave in good order");
    }

    private async Task<long> ScalarAsync(string sql, string topic)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("topic", topic);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
