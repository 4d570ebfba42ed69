using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Realtime;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Moves committed outbox rows of one partition into topic history in one transaction: the rows are deleted, each
/// topic's head is locked and moved, and its events are stored at its next offsets, so a row is relayed exactly once
/// whatever fails. Offers and revocations (ephemeral rows) are deleted and passed on without a place in history.
/// </summary>
public static class OutboxRelay
{
    /// <summary>History beyond retention is deleted each time a topic's head passes a multiple of this.</summary>
    public const int TrimEvery = 100;

    public const int HistoryLength = 1000;

    public static readonly TimeSpan HistoryAge = TimeSpan.FromHours(24);

    /// <summary>One topic's share of a pass: its epoch, the head before, and its events in order.</summary>
    public sealed record RelayedTopic(string Topic, string Epoch, long From, IReadOnlyList<TopicEvent> Events)
    {
        public long Head => From + Events.Count(e => e.IsHistory);
    }

    private sealed record Row(long Id, string Topic, string Kind, string Payload, DateTimeOffset At, bool Ephemeral);

    /// <summary>
    /// Takes up to <paramref name="limit"/> rows of the partition, oldest first (rows another reader holds are waited
    /// for and then skipped, being gone), and stores them; the batches per topic, empty when there was nothing.
    /// </summary>
    public static async Task<IReadOnlyList<RelayedTopic>> RelayAsync(NpgsqlTransaction tx, int partition, int limit, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await TakeAsync(tx, partition, limit, ct);
        if (rows.Count == 0)
        {
            return [];
        }

        var positions = await TopicStore.LockAsync(tx, [.. rows.Select(r => r.Topic).Distinct()], () => Ids.New("ep"), ct);
        var batches = rows.GroupBy(r => r.Topic).Select(topic =>
        {
            var position = positions[topic.Key];
            var offset = position.Head;
            var events = topic.Select(r => new TopicEvent(r.Id, r.Kind, r.At, r.Payload, r.Ephemeral ? 0 : ++offset)).ToList();
            return new RelayedTopic(topic.Key, position.Epoch, position.Head, events);
        }).ToList();

        var stored = batches.Where(b => b.Head > b.From).ToList();
        if (stored.Count > 0)
        {
            var batch = new StatementBatch(tx);
            TopicStore.Append(batch, [.. stored.SelectMany(b => b.Events.Where(e => e.IsHistory).Select(e => (b.Topic, b.Epoch, e)))]);
            TopicStore.SetHeads(batch, [.. stored.Select(b => (b.Topic, b.Head))]);
            foreach (var trimmed in stored.Where(b => b.From / TrimEvery != b.Head / TrimEvery))
            {
                TopicStore.Trim(batch, trimmed.Topic, trimmed.Epoch, trimmed.Head, HistoryLength, now - HistoryAge);
            }

            await batch.ExecuteAsync(ct);
        }

        return batches;
    }

    /// <summary>Whether the partition holds any rows: one statement outside a transaction, for the safety poll.</summary>
    public static async Task<bool> AnyAsync(NpgsqlConnection connection, int partition, CancellationToken ct)
    {
        await using var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM outbox WHERE partition = @partition)", connection);
        any.Parameters.AddWithValue("partition", (short)partition);
        return (bool)(await any.ExecuteScalarAsync(ct))!;
    }

    private static async Task<List<Row>> TakeAsync(NpgsqlTransaction tx, int partition, int limit, CancellationToken ct)
    {
        await using var take = new NpgsqlCommand("""
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE partition = @partition ORDER BY id LIMIT @limit FOR UPDATE)
            RETURNING id, topic, kind, payload::text, created_at, ephemeral
            """, tx.Connection, tx);
        take.Parameters.AddWithValue("partition", (short)partition);
        take.Parameters.AddWithValue("limit", limit);
        var rows = new List<Row>();
        await using var reader = await take.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5)));
        }

        // RETURNING follows no order: the events of a topic keep the order of their rows.
        rows.Sort((a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }
}
