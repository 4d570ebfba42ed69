using Gstd.Realtime;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>Reading topic history: a topic's epoch and head, and its events (written by the relay, <see cref="OutboxRelay"/>).</summary>
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
}
