using System.Runtime.CompilerServices;
using System.Text.Json;
using Gstd.Grains.Storage;
using Gstd.Realtime;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Appends domain events in the transaction of the change they describe, so an event exists if and only if
/// its change committed. The receiver of the topic's outbox partition relays them to its stream after commit; each
/// transaction remembers the partitions it wrote to, so that its commit can wake their receivers.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The partitions each open transaction wrote rows to (forgotten with the transaction).</summary>
    private static readonly ConditionalWeakTable<NpgsqlTransaction, HashSet<int>> Written = [];

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
        WroteTo(batch.Transaction, topic);
    }

    /// <summary>
    /// Adds a message on a topic's stream that is not history (an offer to a worker's agent, a revocation): never
    /// deduplicated, never kept, delivered to whoever follows the stream when it is relayed.
    /// </summary>
    public static void AddMessage(StatementBatch batch, string topic, TopicEvent message)
    {
        var cmd = batch.Add("""
            INSERT INTO outbox (topic, kind, source, version, payload, created_at, ephemeral)
            VALUES (@topic, @kind, @source, 0, @payload, @at, true)
            """);
        cmd.Parameters.AddWithValue("topic", topic);
        cmd.Parameters.AddWithValue("kind", message.Kind);
        cmd.Parameters.AddWithValue("source", "stream:" + Guid.NewGuid().ToString("N"));
        cmd.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = message.PayloadJson });
        cmd.Parameters.AddWithValue("at", message.At);
        WroteTo(batch.Transaction, topic);
    }

    /// <summary>Notes that the transaction adds rows of <paramref name="topic"/>; a transaction is used by one caller at a time.</summary>
    public static void WroteTo(NpgsqlTransaction tx, string topic) => Written.GetOrCreateValue(tx).Add(TopicStreams.PartitionOf(topic));

    /// <summary>The partitions the transaction wrote rows to, forgotten as they are taken.</summary>
    public static IReadOnlyCollection<int> TakePartitions(NpgsqlTransaction tx) =>
        Written.TryGetValue(tx, out var partitions) && Written.Remove(tx) ? partitions : [];

    /// <summary>An event's payload as the outbox stores it: web JSON (camel-cased names).</summary>
    public static string PayloadOf(object payload) => JsonSerializer.Serialize(payload, Json);
}
