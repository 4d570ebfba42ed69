using Gstd.Disputes;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Gstd.Realtime;
using Gstd.Scheduling;
using Gstd.Tasks;
using Gstd.Workers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Scheduling;

/// <summary>
/// Audits the platform's invariants once a minute from a single activation (so several silos never audit at
/// once). Repairs only what is safe to repeat: waking overdue tasks and disputes (their handlers are idempotent) and
/// waking the readers of outbox partitions whose rows wait. Money and missing deadlines are reported, never "fixed", and every unhealthy
/// audit is an <c>audit.violations</c> event on the <c>admin</c> topic.
/// </summary>
public sealed class SentinelGrain(NpgsqlDataSource dataSource, Postgres db, AuditMetrics metrics, TimeProvider time, ILogger<SentinelGrain> logger) : Grain, ISentinelGrain, IRemindable
{
    private const string Every = "audit";

    /// <summary>How late a deadline or an event may be before it counts as stuck: sweeps and relays run every second.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public Task Start() => this.RegisterOrUpdateReminder(Every, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Audit();

    public async Task<AuditReport> Audit()
    {
        var now = time.GetUtcNow();
        var overdue = await AuditStore.OverdueAsync(dataSource, now - Grace, CancellationToken.None);
        var staleOutbox = await AuditStore.StaleOutboxAsync(dataSource, now - Grace, CancellationToken.None);
        var pool = await GrainFactory.GetGrain<IWorkerPoolGrain>(IWorkerPoolGrain.Wasm).GetStats();
        var report = new AuditReport(
            now,
            await AuditStore.JournalSumAsync(dataSource, CancellationToken.None),
            await AuditStore.TerminalHoldingEscrowAsync(dataSource, CancellationToken.None),
            await AuditStore.WithoutDeadlineAsync(dataSource, CancellationToken.None),
            overdue,
            staleOutbox,
            overdue.Count + (staleOutbox > 0 ? 1 : 0),
            pool.SilentWorkers);

        foreach (var id in overdue)
        {
            await (id.StartsWith(DisputeIds.Prefix, StringComparison.Ordinal)
                ? GrainFactory.GetGrain<IDisputeGrain>(id).Wake()
                : GrainFactory.GetGrain<ITaskGrain>(id).Wake());
        }

        if (staleOutbox > 0)
        {
            await AuditStore.WakeStaleOutboxAsync(dataSource, now - Grace, CancellationToken.None);
        }

        metrics.Record(report);
        if (!report.Healthy)
        {
            logger.LogWarning("Audit found violations: {Report}", report);
            await db.WriteAsync(async (tx, ct) =>
            {
                await Outbox.AppendAsync(tx, "admin", "audit.violations", "sentinel", now.UtcTicks, new
                {
                    journalSum = report.JournalSum,
                    terminalHoldingEscrow = report.TerminalHoldingEscrow,
                    withoutDeadline = report.WithoutDeadline,
                    overdue = report.Overdue,
                    staleOutboxEvents = report.StaleOutboxEvents,
                    silentWorkers = report.SilentWorkers,
                    repaired = report.Repaired,
                }, now, ct);
                return true;
            }, _ => true, CancellationToken.None);
        }

        return report;
    }
}
