using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gstd.Grains.Storage;

/// <summary>
/// Commits the writes of several grains in one transaction when they arrive together, the way PostgreSQL groups
/// WAL flushes: a write that finds fewer than <see cref="GroupCommitOptions.ConcurrentGroups"/> transactions in
/// flight goes at once, on its own; the writes that arrive meanwhile go together in the next one. Each member adds
/// its statements to the shared batch and answers a check read once they ran. The transaction commits only when
/// every check holds; otherwise (a member's row moved, its fence refused, a statement failed) it rolls back and
/// every member writes on its own, where it learns why — so a member's outcome is the one it would have had alone.
/// </summary>
public sealed class GroupCommit(Postgres db, IOptions<GroupCommitOptions> options, ILogger<GroupCommit> logger)
{
    private readonly int _concurrentGroups = Math.Max(1, options.Value.ConcurrentGroups);

    /// <summary>More would make one transaction's locks and one lost connection cover too much.</summary>
    public const int MaxMembers = 64;

    public enum Outcome
    {
        Committed,

        /// <summary>Nothing was written: write on your own.</summary>
        Declined,

        /// <summary>The connection failed during COMMIT: read what the database holds.</summary>
        Unknown,
    }

    private readonly Lock _gate = new();
    private List<Member> _waiting = [];
    private int _inFlight;

    /// <param name="lockOrder">
    /// Members are sent in this order, so that rows two members lock (a worker's, for its capacity fence) are locked
    /// in the same order by every group and groups never deadlock one another.
    /// </param>
    /// <param name="add">Adds the member's statements and answers its check, read after they ran.</param>
    public Task<Outcome> CommitAsync(string lockOrder, Func<StatementBatch, Func<bool>> add)
    {
        var member = new Member(lockOrder, add, new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        List<Member>? group = null;
        lock (_gate)
        {
            _waiting.Add(member);
            if (_inFlight < _concurrentGroups)
            {
                _inFlight++;
                group = TakeWaiting();
            }
        }

        if (group is not null)
        {
            // Off the calling grain's scheduler: the loop serves every grain of the silo.
            _ = Task.Run(() => RunAsync(group));
        }

        return member.Done.Task;
    }

    private async Task RunAsync(List<Member> group)
    {
        while (true)
        {
            var outcome = await WriteAsync(group);
            group.ForEach(m => m.Done.SetResult(outcome));
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                group = TakeWaiting();
            }
        }
    }

    private List<Member> TakeWaiting()
    {
        if (_waiting.Count <= MaxMembers)
        {
            var all = _waiting;
            _waiting = [];
            return all;
        }

        var first = _waiting[..MaxMembers];
        _waiting.RemoveRange(0, MaxMembers);
        return first;
    }

    private async Task<Outcome> WriteAsync(List<Member> group)
    {
        var ordered = group.OrderBy(m => m.LockOrder, StringComparer.Ordinal).ToArray();
        try
        {
            return await db.WriteAsync(async (tx, ct) =>
            {
                var batch = new StatementBatch(tx);
                var checks = ordered.Select(m => m.Add(batch)).ToArray();
                await batch.ExecuteAsync(ct);
                return checks.All(check => check()) ? Outcome.Committed : Outcome.Declined;
            }, outcome => outcome == Outcome.Committed, CancellationToken.None, () => Task.FromResult(Outcome.Unknown));
        }
        catch (Exception e)
        {
            // One member's failure is found again, and surfaces, when it writes on its own.
            logger.LogDebug(e, "A group of {Count} writes failed; each writes on its own.", group.Count);
            return Outcome.Declined;
        }
    }

    private sealed record Member(string LockOrder, Func<StatementBatch, Func<bool>> Add, TaskCompletionSource<Outcome> Done);
}
