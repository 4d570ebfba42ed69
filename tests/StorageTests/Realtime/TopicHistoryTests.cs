using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.StorageTests.Balancing;
using Gstd.Testing;
using Orleans.Core.Internal;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// Topic history in <c>event_history</c>: what a reconnecting client is sent survives the topic's grain (its next
/// activation continues the epoch), reaches back as far as retention promises, and a second activation writing
/// to the same topic cannot fork it.
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

        await DeactivateAsync(topic);
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
        // Events of 1 KiB: the grain keeps only the last 512 KiB of them in memory, so older ones come from the table.
        for (var first = 1; first <= 1150; first += 50)
        {
            await PublishAsync(topic, first, first + 49, padding: 1024);
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
    public async Task An_activation_whose_head_moved_under_it_refuses_to_sequence_and_the_next_one_continues_from_the_stored_head()
    {
        var topic = NewTopic();
        await PublishAsync(topic, 1, 2);
        var before = await SubscribeAsync(topic, null, null);
        // As if a second activation, for a moment beside this one, had appended three events.
        await ScalarAsync("UPDATE topics SET head = head + 3 WHERE topic = @topic RETURNING 1", topic);

        await Assert.ThrowsAsync<StaleTopicException>(() => PublishAsync(topic, 3, 3));

        await Eventually.Until(async () =>
        {
            try
            {
                await PublishAsync(topic, 3, 3);
                return true;
            }
            catch (StaleTopicException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the next activation to take the batch");
        var after = await SubscribeAsync(topic, null, null);
        Assert.Equal((before.Epoch, 6L), (after.Epoch, after.Offset));
        Assert.Equal([(6L, 3L)], (await SubscribeAsync(topic, before.Epoch, 5)).Missed.Select(e => (e.Offset, e.Id)));
    }

    private static string NewTopic() => "test:" + Guid.NewGuid().ToString("N");

    private Task PublishAsync(string topic, long firstId, long lastId, int padding = 0) =>
        Grains.GetGrain<ITopicGrain>(topic).Publish([.. Enumerable.Range((int)firstId, (int)(lastId - firstId + 1))
            .Select(id => new TopicEvent(id, $"kind-{id}", DateTimeOffset.UtcNow, $$"""{"n":{{id}},"pad":"{{new string('x', padding)}}"}""", 0))]);

    private Task<Subscription> SubscribeAsync(string topic, string? epoch, long? offset) => TopicProbe.SubscribeAsync(Grains, topic, epoch, offset);

    /// <summary>Deactivates the topic's grain as Orleans does when it is idle; the next call meets a new activation.</summary>
    private Task DeactivateAsync(string topic) =>
        Grains.GetGrain<ITopicGrain>(topic).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask();

    private async Task<long> ScalarAsync(string sql, string topic)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("topic", topic);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
