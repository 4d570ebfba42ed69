using Gstd.Grains.Storage;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Runs the relays of the receivers of one silo that wait at the same moment as one transaction: a receiver that
/// finds none in flight relays at once, alone; those woken meanwhile go together in the next one. Under load a commit
/// then costs a share of a relay rather than one per partition it woke, and at rest nothing waits for anything.
/// Each receiver gets the rows of its own partition; a relay that fails fails for every receiver in it, and the
/// rows it did not take stay in the outbox for their next reads.
/// </summary>
public sealed class OutboxRelayGroup(Postgres db, TimeProvider time)
{
    /// <summary>What one receiver gets: its partition's batches, and whether more may be waiting.</summary>
    public sealed record Relayed(IReadOnlyList<OutboxRelay.RelayedTopic> Topics, bool More);

    private readonly Lock _gate = new();
    private Dictionary<int, (int Limit, TaskCompletionSource<Relayed> Done)> _waiting = [];
    private bool _running;

    public Task<Relayed> RelayAsync(int partition, int limit, CancellationToken ct)
    {
        TaskCompletionSource<Relayed> done;
        var start = false;
        lock (_gate)
        {
            if (_waiting.TryGetValue(partition, out var waiting))
            {
                done = waiting.Done;
            }
            else
            {
                done = new TaskCompletionSource<Relayed>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting[partition] = (limit, done);
            }

            if (!_running)
            {
                (_running, start) = (true, true);
            }
        }

        if (start)
        {
            // Off the calling agent's scheduler: the loop serves every receiver of the silo.
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        return done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            Dictionary<int, (int Limit, TaskCompletionSource<Relayed> Done)> group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                (group, _waiting) = (_waiting, []);
            }

            try
            {
                var limit = group.Values.Sum(w => w.Limit);
                var relayed = await db.WriteAsync(
                    (tx, ct) => OutboxRelay.RelayAsync(tx, group.Keys, limit, time.GetUtcNow(), ct), batches => batches.Count > 0, CancellationToken.None);
                var full = relayed.Sum(b => b.Events.Count) >= limit;
                foreach (var (partition, waiting) in group)
                {
                    waiting.Done.TrySetResult(new Relayed([.. relayed.Where(b => b.Partition == partition)], full));
                }
            }
            catch (Exception e)
            {
                foreach (var waiting in group.Values)
                {
                    waiting.Done.TrySetException(e);
                }
            }
        }
    }
}
