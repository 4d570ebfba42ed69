using Gstd.Identity;
using Gstd.Realtime;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Moves committed outbox rows of one partition into topic history in one transaction: the rows are deleted, each
/// topic's head is locked and moved, and its events are stored at its next offsets, so a row is relayed exactly once
/// whatever fails. Offers and revocations (ephemeral rows) are deleted and passed on without a place in history.
/// The work is one call of <c>outbox_relay</c> (migration 0018): it runs after every commit that wakes a partition.
/// </summary>
public static class OutboxRelay
{
    /// <summary>History beyond retention is deleted each time a topic's head passes a multiple of this.</summary>
    public const int TrimEvery = 100;

    public const int HistoryLength = 1000;

    public static readonly TimeSpan HistoryAge = TimeSpan.FromHours(24);

    /// <summary>One topic's share of a pass: its partition, epoch, the head before, and its events in order.</summary>
    public sealed record RelayedTopic(int Partition, string Topic, string Epoch, long From, IReadOnlyList<TopicEvent> Events)
    {
        public long Head => From + Events.Count(e => e.IsHistory);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> rows of the partitions, oldest first (rows another reader holds are waited
    /// for and then skipped, being gone), and stores them; the batches per topic, empty when there was nothing.
    /// </summary>
    public static async Task<IReadOnlyList<RelayedTopic>> RelayAsync(NpgsqlTransaction tx, IReadOnlyCollection<int> partitions, int limit, DateTimeOffset now, CancellationToken ct)
    {
        await using var relay = new NpgsqlCommand(
            """SELECT partition, id, topic, kind, payload, at, epoch, head_before, "offset" FROM outbox_relay(@partitions, @limit, @epoch, @keep, @keptAfter, @trimEvery)""",
            tx.Connection, tx);
        relay.Parameters.AddWithValue("partitions", partitions.Select(p => (short)p).ToArray());
        relay.Parameters.AddWithValue("limit", limit);
        relay.Parameters.AddWithValue("epoch", Ids.New("ep"));
        relay.Parameters.AddWithValue("keep", (long)HistoryLength);
        relay.Parameters.AddWithValue("keptAfter", now - HistoryAge);
        relay.Parameters.AddWithValue("trimEvery", (long)TrimEvery);
        var rows = new List<(int Partition, string Topic, string Epoch, long From, TopicEvent Event)>();
        await using (var reader = await relay.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt16(0), reader.GetString(2), reader.GetString(6), reader.GetInt64(7),
                    new TopicEvent(reader.GetInt64(1), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(4), reader.GetInt64(8))));
            }
        }

        // A set-returning function promises no order: a topic's events keep the order of their rows.
        return [.. rows.OrderBy(r => r.Event.Id).GroupBy(r => r.Topic, StringComparer.Ordinal)
            .Select(topic => new RelayedTopic(topic.First().Partition, topic.Key, topic.First().Epoch, topic.First().From, [.. topic.Select(r => r.Event)]))];
    }

    /// <summary>Whether the partition holds any rows: one statement outside a transaction, for the safety poll.</summary>
    public static async Task<bool> AnyAsync(NpgsqlConnection connection, int partition, CancellationToken ct)
    {
        await using var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM outbox WHERE partition = @partition)", connection);
        any.Parameters.AddWithValue("partition", (short)partition);
        return (bool)(await any.ExecuteScalarAsync(ct))!;
    }
}
