using Gstd.Grains.Storage;
using Gstd.Trust;
using Gstd.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Trust;

public sealed class TrustGrain(Postgres db, TimeProvider time, ILogger<TrustGrain> logger) : Grain, ITrustGrain
{
    private static readonly TimeSpan FlushAfter = TimeSpan.FromMilliseconds(250);
    private readonly List<(TrustVerdict Verdict, string? TaskId)> _pending = [];
    private IGrainTimer? _flush;
    private bool _deactivating;

    private string AccountId => this.GetPrimaryKeyString();

    public Task Succeeded(string workerId, string taskId, bool verified)
    {
        _pending.Add((new TrustVerdict(AccountId, workerId, TrustEvent.Succeeded, verified), taskId));
        _flush ??= ScheduleFlush();
        return Task.CompletedTask;
    }

    /// <summary>Pending successes all come after what the row holds (a reset included), so they simply add to its streak.</summary>
    public async Task<int> VerifiedStreak() =>
        await TrustStore.VerifiedStreakAsync(db.DataSource, AccountId, CancellationToken.None) + _pending.Count(p => p.Verdict.Verified);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _deactivating = true;
        return FlushAsync(cancellationToken);
    }

    private IGrainTimer ScheduleFlush() =>
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushAfter, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    private async Task FlushAsync(CancellationToken ct)
    {
        var batch = _pending.ToList();
        _pending.Clear();
        try
        {
            if (batch.Count > 0)
            {
                var standing = await db.WriteAsync((tx, token) => TrustStore.RecordAsync(tx, AccountId, batch, time.GetUtcNow(), token), _ => true, ct);
                await GrainFactory.GetGrain<IWorkerListGrain>(AccountId).TrustChanged(standing);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Kept for the next flush; successes that arrived meanwhile follow them.
            logger.LogWarning(e, "Recording {Count} successes of account {Account} failed; trying again", batch.Count, AccountId);
            _pending.InsertRange(0, batch);
        }
        catch (CommitOutcomeUnknownException e)
        {
            // Perhaps recorded: counting them again could overstate trust, so they are let go.
            logger.LogWarning(e, "Whether {Count} successes of account {Account} were recorded is unknown; they are not recorded again", batch.Count, AccountId);
        }
        finally
        {
            // Disposed only now: disposing a timer cancels the token of the callback it is running.
            _flush?.Dispose();
            _flush = _pending.Count > 0 && !_deactivating ? ScheduleFlush() : null;
        }
    }
}
