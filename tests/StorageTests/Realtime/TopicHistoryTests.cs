using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.StorageTests.Balancing;
using Gstd.Testing;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// Topic history in <c>event_history</c>, as a reconnecting client is answered from it: it reaches back as far as
/// retention promises and no further, and a position it cannot continue is answered as lost.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicHistoryTests(ClusterFixture fixture)
{
    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task A_replay_reaches_back_through_the_table_for_the_last_thousand_events_and_no_further()
    {
        var probe = TopicStreamProbe.NewTopic(fixture.Cluster, fixture.Database);
        for (var first = 1; first <= 1150; first += 50)
        {
            await probe.AppendAsync(first, first + 49);
        }

        var head = await Eventually.Until(() => SubscribeAsync(probe.Topic, null, null), s => s.Offset == 1150, TimeSpan.FromSeconds(30), "the topic to hold 1,150 events");

        var fromTable = await SubscribeAsync(probe.Topic, head.Epoch, 850);
        Assert.True(fromTable.Recovered);
        Assert.Equal(Enumerable.Range(851, 300).Select(o => (long)o), fromTable.Missed.Select(e => e.Offset));
        Assert.Equal(Enumerable.Range(851, 300).Select(n => $"test.{n}"), fromTable.Missed.Select(e => e.Kind));

        var oldest = await SubscribeAsync(probe.Topic, head.Epoch, 1150 - OutboxRelay.HistoryLength);
        Assert.True(oldest.Recovered);
        Assert.Equal(OutboxRelay.HistoryLength, oldest.Missed.Count);

        var tooOld = await SubscribeAsync(probe.Topic, head.Epoch, 1150 - OutboxRelay.HistoryLength - 1);
        Assert.False(tooOld.Recovered);
        Assert.Empty(tooOld.Missed);

        // Retention keeps the table bounded too.
        Assert.InRange(await CountAsync(probe.Topic), OutboxRelay.HistoryLength, OutboxRelay.HistoryLength + OutboxRelay.TrimEvery);
    }

    [Fact]
    public async Task A_position_of_another_epoch_or_beyond_the_head_is_answered_as_lost_with_where_the_topic_stands()
    {
        var probe = TopicStreamProbe.NewTopic(fixture.Cluster, fixture.Database);
        await probe.AppendAsync(1, 3);
        var head = await Eventually.Until(() => SubscribeAsync(probe.Topic, null, null), s => s.Offset == 3, TimeSpan.FromSeconds(30), "the topic to hold three events");

        Assert.Equal((head.Epoch, 3L, true, 0), Shape(await SubscribeAsync(probe.Topic, head.Epoch, 3)));
        Assert.Equal((head.Epoch, 3L, true, 2), Shape(await SubscribeAsync(probe.Topic, head.Epoch, 1)));
        Assert.Equal((head.Epoch, 3L, false, 0), Shape(await SubscribeAsync(probe.Topic, "ep_gone", 1)));
        Assert.Equal((head.Epoch, 3L, false, 0), Shape(await SubscribeAsync(probe.Topic, head.Epoch, 9)));

        static (string, long, bool, int) Shape(Subscription s) => (s.Epoch, s.Offset, s.Recovered, s.Missed.Count);
    }

    private Task<Subscription> SubscribeAsync(string topic, string? epoch, long? offset) => TopicProbe.SubscribeAsync(Grains, topic, epoch, offset);

    private async Task<long> CountAsync(string topic)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand("SELECT count(*) FROM event_history WHERE topic = @topic");
        cmd.Parameters.AddWithValue("topic", topic);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
