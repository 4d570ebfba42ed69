namespace Gstd.Scheduling;

/// <summary>
/// The cluster's one auditor (key 0): checks the invariants the platform promises, repairs what is safe to
/// repair, and reports. Kept alive by a reminder; audits every minute and whenever asked.
/// </summary>
[Alias("gstd.ISentinelGrain")]
public interface ISentinelGrain : IGrainWithIntegerKey
{
    /// <summary>Makes sure the sentinel's reminder exists; idempotent.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Audits now and answers what it found and repaired.</summary>
    [Alias("Audit")]
    Task<AuditReport> Audit();
}

/// <summary>
/// One audit. Violations: a journal that does not sum to zero; terminal tasks whose escrow still holds
/// money; unfinished tasks without a deadline; deadlines passed for over a minute (woken: a repair); outbox
/// events unpublished for over a minute (the relay is poked: a repair); workers a pool still counts as ready
/// though silent past its liveness window. Lease expiries are task deadlines, so "overdue" covers leases that
/// outlived their expiry. Lists hold at most 100 task ids.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.AuditReport")]
public sealed record AuditReport(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] long JournalSum,
    [property: Id(2)] IReadOnlyList<string> TerminalHoldingEscrow,
    [property: Id(3)] IReadOnlyList<string> WithoutDeadline,
    [property: Id(4)] IReadOnlyList<string> Overdue,
    [property: Id(5)] long StaleOutboxEvents,
    [property: Id(6)] int Repaired,
    [property: Id(7)] int SilentWorkers)
{
    public bool Healthy =>
        JournalSum == 0 && TerminalHoldingEscrow.Count == 0 && WithoutDeadline.Count == 0 && Overdue.Count == 0 && StaleOutboxEvents == 0
        && SilentWorkers == 0;
}
