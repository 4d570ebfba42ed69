using Gstd.Gateway.Auth;
using Gstd.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Admin;

/// <summary>The sentinel's audit on demand: what it found wrong and what it repaired.</summary>
public static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/audit", async (IGrainFactory grains) => Results.Ok(AuditResponse.From(await grains.GetGrain<ISentinelGrain>(0).Audit())))
            .WithTags("Admin").RequireAuthorization(Policies.Admin).Produces<AuditResponse>();
}

/// <summary>
/// An audit: <c>journalSum</c> is in nano-GSTD and must be 0; the lists hold up to 100 task ids each;
/// <c>silentWorkers</c> counts workers still offered work though silent past their liveness window.
/// </summary>
public sealed record AuditResponse(
    DateTimeOffset At, bool Healthy, long JournalSum, IReadOnlyList<string> TerminalTasksHoldingEscrow, IReadOnlyList<string> TasksWithoutDeadline,
    IReadOnlyList<string> OverdueTasks, long StaleOutboxEvents, int SilentWorkers, int Repaired)
{
    public static AuditResponse From(AuditReport r) =>
        new(r.At, r.Healthy, r.JournalSum, r.TerminalHoldingEscrow, r.WithoutDeadline, r.Overdue, r.StaleOutboxEvents, r.SilentWorkers, r.Repaired);
}
