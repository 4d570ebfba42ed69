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

    private string AccountId => this.GetPrimaryKeyString();

    public Task Succeeded(string workerId, string taskId, bool verified)
    {
        _pending.Add((new TrustVerdict(AccountId, workerId, TrustEvent.Succeeded, verified), taskId));
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushAfter, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    private async Task FlushAsync(CancellationToken ct)
    {
        _flush?.Dispose();
        _flush = null;
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending.ToList();
        _pending.Clear();
        try
        {
            var standing = await db.WriteAsync((tx, token) => TrustStore.RecordAsync(tx, AccountId, batch, time.GetUtcNow(), token), _ => true, ct);
            await GrainFactory.GetGrain<IWorkerListGrain>(AccountId).TrustChanged(standing);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Kept for the next flush; successes that arrived meanwhile follow them.
            logger.LogWarning(e, "Recording {Count} successes of account {Account} failed; trying again", batch.Count, AccountId);
            _pending.InsertRange(0, batch);
            _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushAfter, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        catch (CommitOutcomeUnknownException e)
        {
            // Perhaps recorded: counting them again could overstate trust, so they are let go.
            logger.LogWarning(e, "Whether {Count} successes of account {Account} were recorded is unknown; they are not recorded again", batch.Count, AccountId);
        }
    }
}
