using Gstd.Grains.Storage;
using Gstd.Realtime;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Streams;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Reads one outbox partition for its pulling agent: it waits for the partition's signal (a commit's NOTIFY) and
/// relays what was committed — deleted from the outbox and stored in history in one transaction — then hands the
/// batches to the agent. When nothing signals for <see cref="SafetyPoll"/> it looks anyway, in case a NOTIFY was lost.
/// A failed read hands over nothing: the rows stay in the outbox for the next one, and a batch whose commit went
/// unanswered is in history or still in the outbox — subscribers fill any gap from history.
/// </summary>
public sealed class OutboxReceiver(int partition, Postgres db, OutboxRelayGroup relays, OutboxSignals signals, ILogger logger) : IQueueAdapterReceiver
{
    public static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(1);

    /// <summary>The last read was full: more is waiting, so the next read does not wait for a signal.</summary>
    private bool _more = true;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        signals.Reading(partition);
        var limit = maxCount > 0 ? Math.Min(maxCount, TopicQueueCache.ReadLimit) : TopicQueueCache.ReadLimit;
        try
        {
            // Unsignalled, the safety poll only looks: a silo at rest makes one statement a second per partition.
            if (!_more && !await signals.WaitAsync(partition, SafetyPoll, cancellationToken)
                && !await db.ReadAsync((connection, ct) => OutboxRelay.AnyAsync(connection, partition, ct), cancellationToken))
            {
                return [];
            }

            var relayed = await relays.RelayAsync(partition, limit, cancellationToken);
            _more = relayed.More;
            return [.. relayed.Topics.Select(b => new TopicBatchContainer(TopicStreams.StreamOf(b.Topic), b.Epoch, b.From, b.Events))];
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping or the partition moved: no failure. What a relay in flight took is in history, where
            // subscribers find it.
            return [];
        }
        catch (Exception e) when (e is NpgsqlException or CommitOutcomeUnknownException or TimeoutException)
        {
            logger.LogWarning(e, "Reading outbox partition {Partition} failed; the next read tries again", partition);
            _more = false;
            return [];
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
}
