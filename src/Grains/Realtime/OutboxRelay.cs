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

    /// <summary>One topic's share of a pass: its epoch, the head before, and its events in order.</summary>
    public sealed record RelayedTopic(string Topic, string Epoch, long From, IReadOnlyList<TopicEvent> Events)
    {
        public long Head => From + Events.Count(e => e.IsHistory);
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> rows of the partition, oldest first (rows another reader holds are waited
    /// for and then skipped, being gone), and stores them; the batches per topic, empty when there was nothing.
    /// </summary>
    public static async Task<IReadOnlyList<RelayedTopic>> RelayAsync(NpgsqlTransaction tx, int partition, int limit, DateTimeOffset now, CancellationToken ct)
    {
        await using var relay = new NpgsqlCommand(
            """SELECT id, topic, kind, payload, at, epoch, head_before, "offset" FROM outbox_relay(@partition, @limit, @epoch, @keep, @keptAfter, @trimEvery)""",
            tx.Connection, tx);
        relay.Parameters.AddWithValue("partition", (short)partition);
        relay.Parameters.AddWithValue("limit", limit);
        relay.Parameters.AddWithValue("epoch", Ids.New("ep"));
        relay.Parameters.AddWithValue("keep", (long)HistoryLength);
        relay.Parameters.AddWithValue("keptAfter", now - HistoryAge);
        relay.Parameters.AddWithValue("trimEvery", (long)TrimEvery);
        var rows = new List<(string Topic, string Epoch, long From, TopicEvent Event)>();
        await using (var reader = await relay.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(1), reader.GetString(5), reader.GetInt64(6),
                    new TopicEvent(reader.GetInt64(0), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(3), reader.GetInt64(7))));
            }
        }

        // A set-returning function promises no order: a topic's events keep the order of their rows.
        return [.. rows.OrderBy(r => r.Event.Id).GroupBy(r => r.Topic, StringComparer.Ordinal)
            .Select(topic => new RelayedTopic(topic.Key, topic.First().Epoch, topic.First().From, [.. topic.Select(r => r.Event)]))];
    }

    /// <summary>Whether the partition holds any rows: one statement outside a transaction, for the safety poll.</summary>
    public static async Task<bool> AnyAsync(NpgsqlConnection connection, int partition, CancellationToken ct)
    {
        await using var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM outbox WHERE partition = @partition)", connection);
        any.Parameters.AddWithValue("partition", (short)partition);
        return (bool)(await any.ExecuteScalarAsync(ct))!;
    }
}
