using Gstd.Grains.Storage;
using Gstd.Realtime;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>The SQL of topic history: a topic's epoch and head, its events, and their retention.</summary>
public static class TopicStore
{
    /// <summary>The topic's position; a topic seen for the first time starts <paramref name="newEpoch"/> at 0.</summary>
    public static async Task<TopicPosition> ClaimAsync(NpgsqlConnection connection, string topic, string newEpoch, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO topics (topic, epoch, head) VALUES (@topic, @epoch, 0) ON CONFLICT (topic) DO NOTHING;
            SELECT epoch, head FROM topics WHERE topic = @topic;
            """, connection);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", newEpoch);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new TopicPosition(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>The positions of these topics, claimed as <see cref="ClaimAsync"/> does, in one round trip.</summary>
    public static async Task<Dictionary<string, TopicPosition>> ClaimAllAsync(NpgsqlConnection connection, IReadOnlyList<string> topics, Func<string> newEpoch, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO topics (topic, epoch, head) SELECT t, e, 0 FROM unnest(@topics, @epochs) AS n(t, e) ON CONFLICT (topic) DO NOTHING;
            SELECT topic, epoch, head FROM topics WHERE topic = ANY(@topics);
            """, connection);
        cmd.Parameters.AddWithValue("topics", topics.ToArray());
        cmd.Parameters.AddWithValue("epochs", topics.Select(_ => newEpoch()).ToArray());
        return await ReadPositionsAsync(cmd, ct);
    }

    /// <summary>
    /// The positions of these topics, locked until commit (in topic order, so two writers cannot deadlock); a
    /// topic seen for the first time starts a new epoch at 0.
    /// </summary>
    public static async Task<Dictionary<string, TopicPosition>> LockAsync(NpgsqlTransaction tx, IReadOnlyCollection<string> topics, Func<string> newEpoch, CancellationToken ct)
    {
        var ordered = topics.Order(StringComparer.Ordinal).ToArray();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO topics (topic, epoch, head) SELECT t, e, 0 FROM unnest(@topics, @epochs) AS n(t, e) ON CONFLICT (topic) DO NOTHING;
            SELECT topic, epoch, head FROM topics WHERE topic = ANY(@topics) ORDER BY topic COLLATE "C" FOR UPDATE;
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("topics", ordered);
        cmd.Parameters.AddWithValue("epochs", ordered.Select(_ => newEpoch()).ToArray());
        return await ReadPositionsAsync(cmd, ct);
    }

    private static async Task<Dictionary<string, TopicPosition>> ReadPositionsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var positions = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            positions[reader.GetString(0)] = new TopicPosition(reader.GetString(1), reader.GetInt64(2));
        }

        return positions;
    }

    /// <summary>Sets the heads of topics locked by <see cref="LockAsync"/>.</summary>
    public static void SetHeads(StatementBatch batch, IReadOnlyList<(string Topic, long Head)> heads)
    {
        var cmd = batch.Add("UPDATE topics SET head = h.head FROM unnest(@topics, @heads) AS h(topic, head) WHERE topics.topic = h.topic");
        cmd.Parameters.AddWithValue("topics", heads.Select(h => h.Topic).ToArray());
        cmd.Parameters.AddWithValue("heads", heads.Select(h => h.Head).ToArray());
    }

    /// <summary>Appends sequenced events of any number of topics in one statement.</summary>
    public static void Append(StatementBatch batch, IReadOnlyList<(string Topic, string Epoch, TopicEvent Event)> events)
    {
        var cmd = batch.Add("""
            INSERT INTO event_history (topic, epoch, "offset", event_id, kind, payload, at)
            SELECT e.topic, e.epoch, e.o, e.id, e.kind, e.payload::jsonb, e.at
            FROM unnest(@topics, @epochs, @offsets, @ids, @kinds, @payloads, @ats) AS e(topic, epoch, o, id, kind, payload, at)
            """);
        cmd.Parameters.AddWithValue("topics", events.Select(e => e.Topic).ToArray());
        cmd.Parameters.AddWithValue("epochs", events.Select(e => e.Epoch).ToArray());
        cmd.Parameters.AddWithValue("offsets", events.Select(e => e.Event.Offset).ToArray());
        cmd.Parameters.AddWithValue("ids", events.Select(e => e.Event.Id).ToArray());
        cmd.Parameters.AddWithValue("kinds", events.Select(e => e.Event.Kind).ToArray());
        cmd.Parameters.AddWithValue("payloads", events.Select(e => e.Event.PayloadJson).ToArray());
        cmd.Parameters.AddWithValue("ats", events.Select(e => e.Event.At).ToArray());
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
    /// current epoch beyond its last <paramref name="keep"/>. Older epochs go by age only.
    /// </summary>
    public static void Trim(StatementBatch batch, string topic, string epoch, long head, int keep, DateTimeOffset before)
    {
        var cmd = batch.Add("""
            DELETE FROM event_history
            WHERE topic = @topic AND (at < @before OR (epoch = @epoch AND "offset" <= @head - @keep))
            """);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("epoch", epoch);
        cmd.Parameters.AddWithValue("head", head);
        cmd.Parameters.AddWithValue("keep", (long)keep);
        cmd.Parameters.AddWithValue("before", before);
    }
}
