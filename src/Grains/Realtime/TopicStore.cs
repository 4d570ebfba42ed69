using Gstd.Realtime;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>The SQL of topic history: a topic's epoch and head, its events, and their retention.</summary>
public static class TopicStore
{
    /// <summary>A topic's epoch and the offset of its last stored event.</summary>
    public sealed record Position(string Epoch, long Head);

    /// <summary>The topic's position; a topic seen for the first time starts <paramref name="newEpoch"/> at 0.</summary>
    public static async Task<Position> ClaimAsync(NpgsqlConnection connection, string topic, string newEpoch, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO topics (topic, epoch, head) VALUES (@topic, @epoch, 0) ON CONFLICT (topic) DO NOTHING;
            SELECT epoch, head FROM topics WHERE topic = @topic;
            """, connection);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", newEpoch);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Position(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Moves the head from <paramref name="from"/> to <paramref name="to"/>; false when it is no longer at
    /// <paramref name="from"/> (another activation of the topic wrote meanwhile). Locks the row until commit.
    /// </summary>
    public static async Task<bool> AdvanceAsync(NpgsqlTransaction tx, string topic, Position from, long to, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE topics SET head = @to WHERE topic = @topic AND epoch = @epoch AND head = @from", tx.Connection, tx);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", from.Epoch);
        cmd.Parameters.AddWithValue("from", from.Head);
        cmd.Parameters.AddWithValue("to", to);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Which of these outbox ids the topic already holds, in any epoch.</summary>
    public static async Task<HashSet<long>> KnownAsync(NpgsqlConnection connection, string topic, IEnumerable<long> eventIds, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT event_id FROM event_history WHERE topic = @topic AND event_id = ANY(@ids)", connection);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("ids", eventIds.ToArray());
        var known = new HashSet<long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            known.Add(reader.GetInt64(0));
        }

        return known;
    }

    /// <summary>Appends sequenced events in one statement.</summary>
    public static async Task AppendAsync(NpgsqlTransaction tx, string topic, string epoch, IReadOnlyList<TopicEvent> events, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO event_history (topic, epoch, "offset", event_id, kind, payload, at)
            SELECT @topic, @epoch, e.o, e.id, e.kind, e.payload::jsonb, e.at
            FROM unnest(@offsets, @ids, @kinds, @payloads, @ats) AS e(o, id, kind, payload, at)
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("offsets", events.Select(e => e.Offset).ToArray());
        cmd.Parameters.AddWithValue("ids", events.Select(e => e.Id).ToArray());
        cmd.Parameters.AddWithValue("kinds", events.Select(e => e.Kind).ToArray());
        cmd.Parameters.AddWithValue("payloads", events.Select(e => e.PayloadJson).ToArray());
        cmd.Parameters.AddWithValue("ats", events.Select(e => e.At).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The events of an epoch after an offset, oldest first, at most <paramref name="limit"/>.</summary>
    public static async Task<List<TopicEvent>> AfterAsync(NpgsqlConnection connection, string topic, string epoch, long after, int limit, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT event_id, kind, at, payload::text, "offset" FROM event_history
            WHERE topic = @topic AND epoch = @epoch AND "offset" > @after ORDER BY "offset" LIMIT @limit
            """, connection);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("limit", limit);
        var events = new List<TopicEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(new TopicEvent(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetInt64(4)));
        }

        return events;
    }

    /// <summary>
    /// Drops what retention no longer keeps: events older than <paramref name="before"/>, and those of the
    /// current epoch beyond its last <paramref name="keep"/>. Older epochs go by age only: their event ids
    /// still recognise an outbox row re-sent after a crash.
    /// </summary>
    public static async Task TrimAsync(NpgsqlTransaction tx, string topic, string epoch, long head, int keep, DateTimeOffset before, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM event_history
            WHERE topic = @topic AND (at < @before OR (epoch = @epoch AND "offset" <= @head - @keep))
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("head", head);
        cmd.Parameters.AddWithValue("keep", (long)keep);
        cmd.Parameters.AddWithValue("before", before);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
