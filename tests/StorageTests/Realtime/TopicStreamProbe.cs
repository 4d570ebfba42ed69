using System.Threading.Channels;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Gstd.Realtime;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// A topic's stream as the gateway of one silo meets it: a subscription of that silo's own client, and the outbox rows
/// a transition commits. Also says which silo holds the lease of the topic's partition.
/// </summary>
public sealed class TopicStreamProbe(InProcessTestCluster cluster, TestDatabase database, string topic) : IAsyncDisposable
{
    private readonly Channel<(TopicEvent Event, TopicToken Token)> _received = Channel.CreateUnbounded<(TopicEvent, TopicToken)>();
    private StreamSubscriptionHandle<TopicEvent>? _handle;

    public string Topic => topic;

    public static TopicStreamProbe NewTopic(InProcessTestCluster cluster, TestDatabase database) =>
        new(cluster, database, "test:" + Guid.NewGuid().ToString("N"));

    /// <summary>Subscribes through the silo's own client, from <paramref name="from"/> where given.</summary>
    public async Task SubscribeAsync(InProcessSiloHandle silo, TopicToken? from = null)
    {
        var stream = silo.ServiceProvider.GetRequiredService<IClusterClient>().GetStreamProvider(TopicStreams.Provider).GetStream<TopicEvent>(TopicStreams.StreamOf(topic));
        Task OnNext(TopicEvent e, StreamSequenceToken? token) => _received.Writer.WriteAsync((e, (TopicToken)token!)).AsTask();
        _handle = from is null ? await stream.SubscribeAsync(OnNext) : await stream.SubscribeAsync(OnNext, from);
    }

    /// <summary>The next <paramref name="count"/> events delivered.</summary>
    public async Task<List<(TopicEvent Event, TopicToken Token)>> NextAsync(int count, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var events = new List<(TopicEvent, TopicToken)>();
        try
        {
            while (events.Count < count)
            {
                events.Add(await _received.Reader.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{topic}: {events.Count} of {count} events arrived within {patience.TotalSeconds:0} s (offsets {string.Join(",", events.Select(e => e.Item1.Offset))})");
        }

        return events;
    }

    /// <summary>
    /// Events <c>test.{first}</c> to <c>test.{last}</c>, committed together on a live silo as a transition commits its
    /// events (which wakes the reader of their partition, on that silo or by NOTIFY on another).
    /// </summary>
    public async Task AppendAsync(int first, int last) =>
        await cluster.Silos[0].ServiceProvider.GetRequiredService<Postgres>().WriteAsync(async (tx, ct) =>
        {
            for (var n = first; n <= last; n++)
            {
                await Outbox.AppendAsync(tx, topic, $"test.{n}", "test", n, new { n }, DateTimeOffset.UtcNow, ct);
            }

            return true;
        }, _ => true, CancellationToken.None);

    /// <summary>The silo that holds the lease of the topic's partition, once one does.</summary>
    public async Task<InProcessSiloHandle> OwnerAsync()
    {
        var owner = await Eventually.Until(async () =>
        {
            await using var cmd = database.DataSource.CreateCommand("""
                SELECT owner FROM stream_leases
                WHERE resource = @prefix || outbox_partition(@topic)::text AND expires_at > now()
                """);
            cmd.Parameters.AddWithValue("prefix", TopicStreams.Provider + "-");
            cmd.Parameters.AddWithValue("topic", topic);
            return (string?)await cmd.ExecuteScalarAsync();
        }, address => Live(address) is not null, TimeSpan.FromSeconds(60), $"a live silo of {string.Join(", ", cluster.Silos.Select(s => s.SiloAddress.ToParsableString()))} to hold the partition of {topic}");
        return Live(owner)!;

        InProcessSiloHandle? Live(string? address) => cluster.Silos.FirstOrDefault(s => s.SiloAddress.ToParsableString() == address);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.UnsubscribeAsync();
        }
    }
}
