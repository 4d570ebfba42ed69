using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Realtime;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Moves committed outbox rows into topic history, every topic of a pass in one transaction: the rows are deleted,
/// each topic's head is locked and moved, and the events are stored at its next offsets, so a row is relayed exactly
/// once whatever fails. The topics are handed their events after commit; one that misses a hand-over reads it from
/// the store at the next.
/// </summary>
public sealed class OutboxRelayGrain(Postgres db, TimeProvider time, ILogger<OutboxRelayGrain> logger) : Grain, IOutboxRelayGrain, IRemindable
{
    private const int Batch = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private IGrainTimer? _timer;

    /// <summary>Cheap to repeat: the reminder is written once per activation.</summary>
    public async Task Start()
    {
        if (_timer is null)
        {
            await this.RegisterOrUpdateReminder("keep-alive", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            _timer = this.RegisterGrainTimer(RelayAsync, new GrainTimerCreationOptions(Interval, Interval) { KeepAlive = true });
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Start();

    private async Task RelayAsync(CancellationToken ct)
    {
        try
        {
            var rows = await ReadAsync(ct);
            if (rows.Count == 0)
            {
                return;
            }

            var relayed = await db.WriteAsync((tx, token) => StoreAsync(tx, rows, token), batches => batches is not null, ct);
            if (relayed is null)
            {
                logger.LogInformation("Another relay took outbox rows of this pass; the next pass goes on from what is left");
                return;
            }

            await Task.WhenAll(relayed.Select(b => GrainFactory.GetGrain<ITopicGrain>(b.Topic).Appended(b.Epoch, b.Events)));
        }
        catch (Exception e) when (e is NpgsqlException or CommitOutcomeUnknownException or TimeoutException or OrleansException)
        {
            logger.LogWarning(e, "Relaying the outbox failed; the next tick retries");
        }
    }

    private async Task<List<(string Topic, TopicEvent Event)>> ReadAsync(CancellationToken ct) =>
        await db.ReadAsync(async (connection, token) =>
        {
            await using var read = new NpgsqlCommand("SELECT id, topic, kind, payload::text, created_at FROM outbox ORDER BY id LIMIT @limit", connection);
            read.Parameters.AddWithValue("limit", Batch);
            var rows = new List<(string, TopicEvent)>();
            await using var reader = await read.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                rows.Add((reader.GetString(1), new TopicEvent(reader.GetInt64(0), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(3), 0)));
            }

            return rows;
        }, ct);

    /// <summary>The pass's one transaction; null (rolled back) when another relay deleted some of the rows first.</summary>
    private async Task<List<TopicBatch>?> StoreAsync(NpgsqlTransaction tx, List<(string Topic, TopicEvent Event)> rows, CancellationToken ct)
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM outbox WHERE id = ANY(@ids)", tx.Connection, tx))
        {
            delete.Parameters.AddWithValue("ids", rows.Select(r => r.Event.Id).ToArray());
            if (await delete.ExecuteNonQueryAsync(ct) != rows.Count)
            {
                return null;
            }
        }

        var positions = await TopicStore.LockAsync(tx, [.. rows.Select(r => r.Topic).Distinct()], () => Ids.New("ep"), ct);
        // Rows relayed before this relay wrote history and deleted them together may still be known by their ids.
        var known = await TopicStore.KnownAsync(tx.Connection!, [.. rows.Select(r => (r.Topic, r.Event.Id))], ct);
        var batches = new List<TopicBatch>();
        foreach (var topic in rows.Where(r => !known.Contains((r.Topic, r.Event.Id))).GroupBy(r => r.Topic))
        {
            var position = positions[topic.Key];
            var offset = position.Head;
            batches.Add(new TopicBatch(topic.Key, position.Epoch, position.Head, [.. topic.Select(r => r.Event with { Offset = ++offset })]));
        }

        if (batches.Count == 0)
        {
            return batches;
        }

        await TopicStore.AppendAsync(tx, [.. batches.SelectMany(b => b.Events.Select(e => (b.Topic, b.Epoch, e)))], ct);
        await TopicStore.SetHeadsAsync(tx, [.. batches.Select(b => (b.Topic, b.Head))], ct);
        foreach (var batch in batches.Where(b => b.From / TopicGrain.TrimEvery != b.Head / TopicGrain.TrimEvery))
        {
            await TopicStore.TrimAsync(tx, batch.Topic, batch.Epoch, batch.Head, TopicGrain.HistoryLength, time.GetUtcNow() - TopicGrain.HistoryAge, ct);
        }

        return batches;
    }

    /// <summary>One topic's share of a pass: the events stored after offset <see cref="From"/> of its epoch.</summary>
    private sealed record TopicBatch(string Topic, string Epoch, long From, IReadOnlyList<TopicEvent> Events)
    {
        public long Head => From + Events.Count;
    }
}
