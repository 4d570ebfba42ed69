using System.Text.Json;
using Gstd.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Appends domain events in the transaction of the change they describe, so an event exists if and only if
/// its change committed. The receiver of the topic's outbox partition relays them to its stream after commit.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds one event; a repeat of the same (topic, source, version, kind) is ignored.</summary>
    public static async Task AppendAsync(
        NpgsqlTransaction tx, string topic, string kind, string source, long version, object payload, DateTimeOffset at, CancellationToken ct)
    {
        var batch = new StatementBatch(tx);
        Add(batch, topic, kind, source, version, payload, at);
        await batch.ExecuteAsync(ct);
    }

    /// <summary>Adds one event to a batch of the transaction, sent with the batch.</summary>
    public static void Add(StatementBatch batch, string topic, string kind, string source, long version, object payload, DateTimeOffset at)
    {
        var cmd = batch.Add("""
            INSERT INTO outbox (topic, kind, source, version, payload, created_at)
            VALUES (@topic, @kind, @source, @version, @payload, @at)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("source", source);
        cmd.Parameters.AddWithValue("version", version);
        cmd.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = PayloadOf(payload) });
        cmd.Parameters.AddWithValue("at", at);
    }

    /// <summary>An event's payload as the outbox stores it: web JSON (camel-cased names).</summary>
    public static string PayloadOf(object payload) => JsonSerializer.Serialize(payload, Json);
}
