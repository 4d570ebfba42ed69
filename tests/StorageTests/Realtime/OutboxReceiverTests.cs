using System.Diagnostics;
using Gstd.Grains.Realtime;
using Gstd.Grains.Realtime.Streams;
using Gstd.Grains.Storage;
using Gstd.Realtime;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Streams;
using Polly;
using Polly.Registry;

namespace Gstd.StorageTests.Realtime;

/// <summary>
/// The outbox queue adapter against a real PostgreSQL, without a cluster: a partition's receiver relays each committed
/// row exactly once at consecutive offsets, whatever reader restarted or took the partition over in between, is woken
/// after the commit (in process, or by NOTIFY from another silo), and reads anyway within its safety poll when no signal comes.
/// </summary>
public sealed class OutboxReceiverTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private readonly OutboxSignals _signals = new(TimeProvider.System);

    private Postgres Postgres => _services.GetRequiredService<Postgres>();

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _services = PostgresServices.For(_db);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Rows_are_relayed_once_each_at_consecutive_offsets_across_restarts_and_a_reader_that_died_before_commit()
    {
        var (topic, partition) = await TopicAsync();
        await AppendAsync(topic, 1, 3);
        await AppendAsync(topic, 4, 5);

        var first = await ReadAsync(NewReceiver(partition));
        Assert.Equal([(1L, "test.1"), (2, "test.2"), (3, "test.3"), (4, "test.4"), (5, "test.5")], first.Select(e => (e.Event.Offset, e.Event.Kind)));
        Assert.Equal([1L, 2, 3, 4, 5], first.Select(e => e.Token.Offset));

        // A reader that took the next rows and died before its commit stored nothing and deleted nothing.
        await AppendAsync(topic, 6, 7);
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var lost = await OutboxRelay.RelayAsync(tx, [partition], 100, DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.Equal(2, lost.Single().Events.Count);
            await tx.RollbackAsync();
        }

        var restarted = await ReadAsync(NewReceiver(partition));
        Assert.Equal([6L, 7], restarted.Select(e => e.Event.Offset));
        Assert.Equal(first[0].Token.Epoch, restarted[0].Token.Epoch);
        Assert.Empty(await ReadAsync(NewReceiver(partition)));
        Assert.Equal((7L, 7L, 0L), await HistoryAsync(topic));
    }

    [Fact]
    public async Task A_partition_taken_over_in_the_middle_of_a_batch_relays_each_row_once()
    {
        var (topic, partition) = await TopicAsync();
        await AppendAsync(topic, 1, 4);

        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var old = await OutboxRelay.RelayAsync(tx, [partition], 100, DateTimeOffset.UtcNow, CancellationToken.None);

        // The partition's new owner reads while the old one's batch is still open: it waits for the rows' locks.
        var takeover = ReadAsync(NewReceiver(partition));
        await Eventually.Until(() => WaitingForLocksAsync(), waiting => waiting > 0, TimeSpan.FromSeconds(30), "the new reader to wait for the old one's rows");
        await tx.CommitAsync();

        Assert.Equal([1L, 2, 3, 4], old.Single().Events.Select(e => e.Offset));
        Assert.Empty(await takeover);
        await AppendAsync(topic, 5, 5);
        Assert.Equal([5L], (await ReadAsync(NewReceiver(partition))).Select(e => e.Event.Offset));
        Assert.Equal((5L, 5L, 0L), await HistoryAsync(topic));
    }

    [Fact]
    public async Task Events_produced_on_a_stream_are_delivered_in_order_without_a_place_in_history()
    {
        var (topic, partition) = await TopicAsync();
        await AppendAsync(topic, 1, 1);
        var adapter = new OutboxQueueAdapter(TopicStreams.Provider, Postgres, _signals, TimeProvider.System, NullLoggerFactory.Instance);
        await adapter.QueueMessageBatchAsync(TopicStreams.StreamOf(topic),
            [new TopicEvent(0, "offer", DateTimeOffset.UtcNow, """{"kind":"offer","n":1}""", 0), new TopicEvent(0, "offer", DateTimeOffset.UtcNow, """{"kind":"offer","n":2}""", 0)],
            null, null);
        await AppendAsync(topic, 2, 2);

        var read = await ReadAsync(NewReceiver(partition));

        Assert.Equal([1L, 0, 0, 2], read.Select(e => e.Event.Offset));
        Assert.Equal([1, 2], read.Where(e => !e.Event.IsHistory).Select(e => System.Text.Json.JsonDocument.Parse(e.Event.PayloadJson).RootElement.GetProperty("n").GetInt32()));
        // Each has a token of its own, after the history event before it and in order, so Orleans delivers each once.
        Assert.Equal([1L, 1, 1, 2], read.Select(e => e.Token.Offset));
        Assert.Equal(read.Select(e => e.Token).Order(), read.Select(e => e.Token));
        Assert.Equal(4, read.Select(e => e.Token).Distinct().Count());
        Assert.Equal((2L, 2L, 0L), await HistoryAsync(topic));
    }

    [Fact]
    public async Task A_commit_wakes_the_receiver_of_its_partition_in_process_when_this_silo_reads_it_and_by_NOTIFY_when_another_does()
    {
        var (topic, partition) = await TopicAsync();
        var other = (partition + 1) % TopicStreams.Partitions;

        // This silo reads the partition: the commit wakes its receiver at once, and a rolled-back write wakes nobody.
        var waker = new OutboxWaker(_db.DataSource, _signals, NullLogger<OutboxWaker>.Instance);
        _signals.Reading(partition);
        await WithObserver(waker).WriteAsync(async (tx, ct) =>
        {
            await Outbox.AppendAsync(tx, topic, "test.rolled_back", "test", 0, new { }, DateTimeOffset.UtcNow, ct);
            return false;
        }, committed => committed, CancellationToken.None);
        Assert.False(await _signals.WaitAsync(partition, TimeSpan.Zero, CancellationToken.None));
        await AppendAsync(topic, 1, 1, waker);
        Assert.True(await _signals.WaitAsync(partition, TimeSpan.Zero, CancellationToken.None));
        Assert.False(await _signals.WaitAsync(other, TimeSpan.Zero, CancellationToken.None));

        // Another silo reads it: the writer's NOTIFY after the commit reaches that silo's listener.
        var reader = new OutboxSignals(TimeProvider.System);
        var listener = new OutboxListener(_db.DataSource, reader, TimeProvider.System, NullLogger<OutboxListener>.Instance);
        var writer = new OutboxWaker(_db.DataSource, new OutboxSignals(TimeProvider.System), NullLogger<OutboxWaker>.Instance);
        await listener.StartAsync(CancellationToken.None);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            // Once listening, the listener wakes every partition: rows committed before it listened told nobody.
            Assert.True(await reader.WaitAsync(partition, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.True(await reader.WaitAsync(other, TimeSpan.Zero, CancellationToken.None));

            await AppendAsync(topic, 2, 2, writer);

            Assert.True(await reader.WaitAsync(partition, TimeSpan.FromSeconds(30), CancellationToken.None));
            Assert.False(await reader.WaitAsync(other, TimeSpan.Zero, CancellationToken.None));
        }
        finally
        {
            await StopAsync(writer);
            await StopAsync(listener);
        }
    }

    [Fact]
    public async Task A_listener_waiting_for_notifications_stops_within_its_stop_check_and_leaves_its_connection_unlistened()
    {
        var signals = new OutboxSignals(TimeProvider.System);
        var listener = new OutboxListener(_db.DataSource, signals, TimeProvider.System, NullLogger<OutboxListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        Assert.True(await signals.WaitAsync(0, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.Equal(1, await ListenersAsync());

        var stopping = Stopwatch.StartNew();
        await StopAsync(listener);

        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, OutboxListener.StopCheck + TimeSpan.FromSeconds(5));
        Assert.Equal(0, await ListenersAsync());
    }

    /// <summary>Stops a hosted service, failing (rather than hanging the run) when it does not finish.</summary>
    private static async Task StopAsync(BackgroundService service)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await service.StopAsync(bound.Token);
        Assert.True(service.ExecuteTask!.IsCompleted, $"{service.GetType().Name} did not stop within 30 s");
    }

    /// <summary>Backends of this database listening on the outbox channel.</summary>
    private async Task<long> ListenersAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND state = 'idle'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Receivers_of_one_silo_reading_together_each_get_their_own_partitions_rows()
    {
        var topics = new List<(string Topic, int Partition)>();
        while (topics.Select(t => t.Partition).Distinct().Count() < 3)
        {
            var (topic, partition) = await TopicAsync();
            if (topics.All(t => t.Partition != partition))
            {
                topics.Add((topic, partition));
            }
        }

        foreach (var (topic, _) in topics)
        {
            await AppendAsync(topic, 1, 3);
        }

        var relays = new OutboxRelayGroup(Postgres, TimeProvider.System);
        var reads = await Task.WhenAll(topics.Select(t => ReadAsync(NewReceiver(t.Partition, relays))));

        foreach (var ((topic, _), read) in topics.Zip(reads))
        {
            Assert.Equal([1L, 2, 3], read.Select(e => e.Event.Offset));
            Assert.Equal((3L, 3L, 0L), await HistoryAsync(topic));
        }
    }

    [Fact]
    public async Task The_silo_and_the_database_put_every_topic_in_the_same_partition()
    {
        string[] topics = ["", "admin", "network", "market", "account:ü✓漢字", .. Enumerable.Range(0, 500).Select(n => $"{(n % 2 == 0 ? "account" : "worker")}:{Guid.NewGuid():N}")];
        await using var cmd = _db.DataSource.CreateCommand("SELECT t, outbox_partition(t) FROM unnest(@topics) AS t");
        cmd.Parameters.AddWithValue("topics", topics);
        var stored = new Dictionary<string, int>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = reader.GetInt16(1);
        }

        Assert.All(topics, topic => Assert.Equal(stored[topic], TopicStreams.PartitionOf(topic)));
        Assert.Equal(TopicStreams.Partitions, stored.Values.Distinct().Count());
    }

    [Fact]
    public async Task Rows_whose_signal_was_lost_are_read_by_the_safety_poll()
    {
        var (topic, partition) = await TopicAsync();
        var receiver = NewReceiver(partition);
        Assert.Empty(await ReadAsync(receiver));

        // Nobody listens, so nothing wakes the receiver: it reads on its own after the safety poll's interval.
        await AppendAsync(topic, 1, 2);
        var watch = Stopwatch.StartNew();
        var read = await ReadAsync(receiver);

        Assert.Equal([1L, 2], read.Select(e => e.Event.Offset));
        Assert.True(watch.Elapsed >= OutboxReceiver.SafetyPoll * 0.9, $"read after {watch.Elapsed}, before the safety poll was due");
    }

    [Fact]
    public async Task A_read_waiting_when_the_silo_stops_ends_with_nothing_and_leaves_the_rows()
    {
        var (topic, partition) = await TopicAsync();
        var receiver = NewReceiver(partition);
        Assert.Empty(await ReadAsync(receiver));
        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        // Orleans logs a read that throws as a failure of the queue; a stop is not one.
        Assert.Empty(await receiver.GetQueueMessagesAsync(100, stopping.Token));

        await AppendAsync(topic, 1, 1);
        Assert.Equal([1L], (await ReadAsync(NewReceiver(partition))).Select(e => e.Event.Offset));
    }

    private OutboxReceiver NewReceiver(int partition, OutboxRelayGroup? relays = null) =>
        new(partition, Postgres, relays ?? new OutboxRelayGroup(Postgres, TimeProvider.System), _signals, NullLogger<OutboxReceiver>.Instance);

    /// <summary>One read of the receiver, as its pulling agent makes it, flattened to events with their stream tokens.</summary>
    private static async Task<List<(TopicEvent Event, TopicToken Token)>> ReadAsync(OutboxReceiver receiver)
    {
        var batches = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
        return [.. batches.SelectMany(b => b.GetEvents<TopicEvent>()).Select(t => (t.Item1, (TopicToken)t.Item2))];
    }

    /// <summary>A fresh topic and the partition the database puts its rows in.</summary>
    private async Task<(string Topic, int Partition)> TopicAsync()
    {
        var topic = "test:" + Guid.NewGuid().ToString("N");
        await using var cmd = _db.DataSource.CreateCommand("SELECT outbox_partition(@topic)");
        cmd.Parameters.AddWithValue("topic", topic);
        return (topic, (short)(await cmd.ExecuteScalarAsync())!);
    }

    /// <summary>Events <c>test.{first}</c> to <c>test.{last}</c>, committed together as a transition commits its events.</summary>
    private async Task AppendAsync(string topic, int first, int last, ICommitObserver? observer = null) =>
        await (observer is null ? Postgres : WithObserver(observer)).WriteAsync(async (tx, ct) =>
        {
            for (var n = first; n <= last; n++)
            {
                await Outbox.AppendAsync(tx, topic, $"test.{n}", "test", n, new { n }, DateTimeOffset.UtcNow, ct);
            }

            return true;
        }, _ => true, CancellationToken.None);

    /// <summary>The silo's Postgres on this database, telling <paramref name="observer"/> of its commits.</summary>
    private Postgres WithObserver(ICommitObserver observer) =>
        new(_db.DataSource, _services.GetRequiredService<ResiliencePipelineProvider<string>>(), [observer]);

    /// <summary>The topic's stored events, its head and the rows still in the outbox.</summary>
    private async Task<(long Stored, long Head, long Pending)> HistoryAsync(string topic)
    {
        await using var cmd = _db.DataSource.CreateCommand("""
            SELECT (SELECT count(DISTINCT event_id) FROM event_history WHERE topic = @topic),
                   (SELECT head FROM topics WHERE topic = @topic),
                   (SELECT count(*) FROM outbox WHERE topic = @topic)
            """);
        cmd.Parameters.AddWithValue("topic", topic);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private async Task<long> WaitingForLocksAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
