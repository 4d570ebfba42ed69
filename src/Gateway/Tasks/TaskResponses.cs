using Gstd.Tasks;
using M = Gstd.Money.Money;

namespace Gstd.Gateway.Tasks;

public sealed record TaskResponse(
    string Id, string Status, ReasonResponse? Reason, string ModuleId, string InputId, string Price, string Fee,
    SpecResponse Spec, EscrowResponse Escrow, IReadOnlyList<AttemptResponse> Attempts, IReadOnlyList<HistoryResponse> History,
    DateTimeOffset? NextAttemptAt, ResultResponse? Result, DateTimeOffset? ReviewEndsAt, string? DisputeId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TaskResponse From(TaskView t) => new(
        t.Id, t.Status.ToString(), ReasonResponse.From(t.Reason), t.ModuleId, t.InputId, M.Format(t.Price), M.Format(t.Fee),
        SpecResponse.From(t.Spec),
        new EscrowResponse(t.Escrow.State.ToString(), M.Format(t.Escrow.Amount), Format(t.Escrow.ToWorker), Format(t.Escrow.ToClient), Format(t.Escrow.ToPlatform)),
        t.Attempts.Select(AttemptResponse.From).ToArray(),
        t.History.Select(h => new HistoryResponse(h.Status.ToString(), h.At, ReasonResponse.From(h.Reason))).ToArray(),
        t.NextAttemptAt,
        t.Result is { } r ? new ResultResponse(r.Output is null ? null : Convert.ToBase64String(r.Output), r.OutputId, r.OutputSha256, r.WorkerId) : null,
        t.ReviewEndsAt, t.DisputeId, t.CreatedAt, t.UpdatedAt);

    private static string? Format(long? nano) => nano is { } n ? M.Format(n) : null;
}

public sealed record TaskSummaryResponse(
    string Id, string Status, ReasonResponse? Reason, string ModuleId, string Price, string Fee, string EscrowState,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, CellResponse? WorkerCell)
{
    public static TaskSummaryResponse From(TaskSummary t) => new(
        t.Id, t.Status.ToString(), ReasonResponse.From(t.Reason), t.ModuleId, M.Format(t.Price), M.Format(t.Fee), t.EscrowState.ToString(), t.CreatedAt, t.UpdatedAt,
        CellResponse.From(t.WorkerCell));
}

public sealed record ReasonResponse(string Code, string Message)
{
    public static ReasonResponse? From(TaskReason? reason) => reason is null ? null : new(reason.Code, reason.Message);
}

public sealed record SpecResponse(int TimeoutSeconds, long MaxFuel, int MemoryLimitMb, double MinTrust, int Priority, int MaxAttempts, int Replicas, int ReviewSeconds, int QueueTimeoutSeconds)
{
    public static SpecResponse From(TaskSpec s) => new(s.TimeoutSeconds, s.MaxFuel, s.MemoryLimitMb, s.MinTrust, s.Priority, s.MaxAttempts, s.Replicas, s.ReviewSeconds, s.QueueTimeoutSeconds);
}

public sealed record EscrowResponse(string State, string Amount, string? ToWorker, string? ToClient, string? ToPlatform);

public sealed record AttemptResponse(int Number, string WorkerId, CellResponse? WorkerCell, long Lease, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Outcome, ReasonResponse? Error)
{
    public static AttemptResponse From(AttemptView a) => new(
        a.Number, a.WorkerId, CellResponse.From(a.WorkerCell), a.Lease, a.StartedAt, a.EndedAt, a.Outcome?.ToString(), ReasonResponse.From(a.Error));
}

public sealed record CellResponse(int Lat, int Lon)
{
    public static CellResponse? From(GeoCell? cell) => cell is { } c ? new CellResponse(c.Lat, c.Lon) : null;
}

public sealed record HistoryResponse(string Status, DateTimeOffset At, ReasonResponse? Reason);

public sealed record ResultResponse(string? Output, string OutputId, string OutputSha256, string WorkerId);

/// <summary>The documented shape of <c>POST /api/tasks</c>.</summary>
public sealed record SubmitTaskRequest(
    string ModuleId, string? Input, string? InputId, string Price, int? TimeoutSeconds, long? MaxFuel, int? MemoryLimitMb,
    double? MinTrust, int? Priority, int? MaxAttempts, int? Replicas, int? ReviewSeconds, int? QueueTimeoutSeconds);
