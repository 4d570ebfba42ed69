using System.Threading.Channels;
using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.StorageTests.Balancing;
using Gstd.Testing;

namespace Gstd.StorageTests.Realtime;

/// <summary>The outbox relay: every topic of a pass stored in one transaction, each event once, and live subscribers miss nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OutboxRelayTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Events_of_several_topics_committed_together_are_relayed_in_one_transaction_once_each_and_in_order()
    {
        var topics = Enumerable.Range(0, 3).Select(_ => "test:" + Guid.NewGuid().ToString("N")).ToList();
        await AppendAsync([.. topics.SelectMany(topic => Enumerable.Range(1, 4).Select(n => (topic, n)))]);

        foreach (var topic in topics)
        {
            var events = await Eventually.Until(() => TopicProbe.EventsAsync(Grains, topic), e => e.Count == 4, Patience, $"{topic} to hold its four events");
            Assert.Equal([1L, 2, 3, 4], events.Select(e => e.Offset));
            Assert.Equal(["test.1", "test.2", "test.3", "test.4"], events.Select(e => e.Kind));
        }

        // The history rows of all three topics were written by one transaction, and the outbox rows went with it.
        await using var cmd = fixture.Database.DataSource.CreateCommand("""
            SELECT count(DISTINCT xmin::text), count(*) FROM event_history WHERE topic = ANY(@topics);
            """);
        cmd.Parameters.AddWithValue("topics", topics.ToArray());
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal((1L, 12L), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM outbox WHERE topic = ANY(@topics)", topics));
    }

    [Fact]
    public async Task A_subscriber_whose_topic_missed_a_hand_over_still_gets_every_event_in_order()
    {
        var topic = "test:" + Guid.NewGuid().ToString("N");
        var recorder = new Recorder();
        var reference = Grains.CreateObjectReference<ITopicSubscriber>(recorder);
        try
        {
            var grain = Grains.GetGrain<ITopicGrain>(topic);
            var subscription = await grain.Subscribe(reference, null, null);
            await AppendAsync([(topic, 1)]);
            Assert.Equal(1L, (await recorder.NextAsync()).Offset);

            // Offset 2 is stored as a relay pass would store it, but its hand-over to the topic never arrives.
            await using (var cmd = fixture.Database.DataSource.CreateCommand("""
                INSERT INTO event_history (topic, epoch, "offset", event_id, kind, payload, at) VALUES (@topic, @epoch, 2, -2, 'test.lost', '{}', now());
                UPDATE topics SET head = 2 WHERE topic = @topic;
                """))
            {
                cmd.Parameters.AddWithValue("topic", topic);
                cmd.Parameters.AddWithValue("epoch", subscription.Epoch);
                await cmd.ExecuteNonQueryAsync();
            }

            await AppendAsync([(topic, 3)]);
            Assert.Equal((2L, "test.lost"), await recorder.NextAsync() is var lost ? (lost.Offset, lost.Kind) : default);
            Assert.Equal((3L, "test.3"), await recorder.NextAsync() is var next ? (next.Offset, next.Kind) : default);
        }
        finally
        {
            Grains.DeleteObjectReference<ITopicSubscriber>(reference);
            GC.KeepAlive(recorder);
        }
    }

    /// <summary>Outbox rows committed in one transaction, as a transition writes them; kind <c>test.{n}</c>.</summary>
    private async Task AppendAsync(IReadOnlyList<(string Topic, int N)> events)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var (topic, n) in events)
        {
            await Outbox.AppendAsync(tx, topic, $"test.{n}", "test", n, new { n }, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await tx.CommitAsync();
    }

    private async Task<long> CountAsync(string sql, IReadOnlyList<string> topics)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("topics", topics.ToArray());
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>A live subscriber that keeps what it is delivered.</summary>
    private sealed class Recorder : ITopicSubscriber
    {
        private readonly Channel<TopicEvent> _events = Channel.CreateUnbounded<TopicEvent>();

        public Task Deliver(string topic, string epoch, IReadOnlyList<TopicEvent> events)
        {
            foreach (var e in events)
            {
                _events.Writer.TryWrite(e);
            }

            return Task.CompletedTask;
        }

        public async Task<TopicEvent> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            return await _events.Reader.ReadAsync(timeout.Token);
        }
    }
}
