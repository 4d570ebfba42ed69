using Gstd.Grains.Storage;
using Gstd.Realtime;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// The outbox as Orleans stream queues. Domain events enter it inside the transactions of the changes they describe
/// (<see cref="Outbox"/>); what grains produce on a topic's stream through Orleans (offers and revocations to a
/// worker's agent) is added here as ephemeral rows, never kept in history. Each partition has its receiver.
/// </summary>
public sealed class OutboxQueueAdapter(string name, Postgres db, OutboxSignals signals, TimeProvider time, ILoggerFactory loggers) : IQueueAdapter
{
    private readonly OutboxRelayGroup _relays = new(db, time);

    public string Name => name;

    /// <summary>A subscription may start from a token while the cache still holds that stretch.</summary>
    public bool IsRewindable => true;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new OutboxReceiver((int)queueId.GetNumericId(), db, _relays, signals, loggers.CreateLogger<OutboxReceiver>());

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        var items = events.Cast<TopicEvent>().ToList();
        var topic = TopicStreams.TopicOf(streamId);
        await db.WriteAsync(async (tx, ct) =>
        {
            var batch = new StatementBatch(tx);
            items.ForEach(e => Outbox.AddMessage(batch, topic, e));
            await batch.ExecuteAsync(ct);
            return true;
        }, _ => true, CancellationToken.None);
    }
}
