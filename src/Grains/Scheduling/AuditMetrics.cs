using System.Diagnostics.Metrics;
using Gstd.Scheduling;

namespace Gstd.Grains.Scheduling;

/// <summary>
/// The sentinel's findings as metrics (served at <c>/metrics</c>): violations by check from the latest audit
/// made on this silo, and the repairs it has made.
/// </summary>
public sealed class AuditMetrics
{
    public const string MeterName = "Gstd.Audit";

    /// <summary>Audits run every minute; an older one was made here before the sentinel moved to another silo.</summary>
    private static readonly TimeSpan Current = TimeSpan.FromMinutes(3);

    private readonly TimeProvider _time;

    private readonly Counter<long> _repairs;
    private AuditReport? _last;

    public AuditMetrics(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("gstd.audit.violations", Observe, "{violation}", "What the latest audit found wrong, by check; 0 everywhere when healthy.");
        _repairs = meter.CreateCounter<long>("gstd.audit.repairs", "{repair}", "Overdue tasks woken and stalled outbox relays restarted by the sentinel.");
    }

    public void Record(AuditReport report)
    {
        Volatile.Write(ref _last, report);
        if (report.Repaired > 0)
        {
            _repairs.Add(report.Repaired);
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        if (Volatile.Read(ref _last) is not { } report || _time.GetUtcNow() - report.At > Current)
        {
            yield break;
        }

        yield return Check("journal_unbalanced", report.JournalSum == 0 ? 0 : 1);
        yield return Check("terminal_holding_escrow", report.TerminalHoldingEscrow.Count);
        yield return Check("without_deadline", report.WithoutDeadline.Count);
        yield return Check("overdue", report.Overdue.Count);
        yield return Check("stale_outbox", report.StaleOutboxEvents);
        yield return Check("silent_workers", report.SilentWorkers);
    }

    private static Measurement<long> Check(string name, long violations) => new(violations, new KeyValuePair<string, object?>("check", name));
}
