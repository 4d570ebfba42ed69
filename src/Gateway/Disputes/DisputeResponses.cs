using System.Globalization;
using Gstd.Disputes;
using Gstd.Gateway.Tasks;
using M = Gstd.Money.Money;

namespace Gstd.Gateway.Disputes;

/// <summary>A dispute as API.md shows it: money as decimal strings, the worker's share as a ratio, bytes as base64.</summary>
public sealed record DisputeResponse(
    string Id, string TaskId, string Reason, string Details, string Status, string? Outcome, double? WorkerShare, string WorkerId,
    EvidenceResponse Evidence, string? ReviewNote, DeadlinesResponse Deadlines, DecisionResponse? Decision,
    DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt)
{
    public static DisputeResponse From(DisputeView d)
    {
        var e = d.Evidence;
        var submitted = e.Submitted;
        return new DisputeResponse(
            d.Id, d.TaskId, DisputeWire.Name(d.Reason), d.Details, d.Status.ToString(), d.Outcome is { } o ? DisputeWire.Name(o) : null,
            DisputeWire.Share(d.WorkerShareBps), d.WorkerId,
            new EvidenceResponse(
                e.ModuleId, e.InputId, e.InputId.StartsWith("sha256:", StringComparison.Ordinal) ? e.InputId["sha256:".Length..] : e.InputId,
                SpecResponse.From(e.Spec), M.Format(e.Price), M.Format(e.Fee), M.Format(e.Escrow),
                new SubmittedResponse(submitted.OutputId, submitted.OutputSha256, submitted.Size, Convert.ToBase64String(submitted.Preview),
                    d.WorkerId, submitted.Lease, Convert.ToBase64String(submitted.Signature), submitted.PowNonce.ToString(CultureInfo.InvariantCulture)),
                e.Attempts.Select(AttemptResponse.From).ToArray(),
                e.Reexecutions.Select(r => new ReexecutionResponse(
                    r.Number, r.At, r.Outcome, r.OutputSha256, r.Size, Convert.ToBase64String(r.Preview), r.FuelUsed, r.DurationMs, r.Detail,
                    r.Outcome == "Succeeded" && r.OutputSha256 == submitted.OutputSha256)).ToArray()),
            d.ReviewNote,
            new DeadlinesResponse(d.ReviewBy, d.ArbitrateBy),
            d.Decision is { } decision ? new DecisionResponse(decision.By, decision.At, decision.Note, decision.Automatic) : null,
            d.OpenedAt, d.UpdatedAt);
    }
}

/// <summary>
/// What the dispute is judged on. <c>preview</c>s are the first 64 KiB of an output in base64 (sizes say how
/// much there is); <c>matchesSubmitted</c> says whether a re-execution produced the worker's output.
/// </summary>
public sealed record EvidenceResponse(
    string ModuleId, string InputId, string InputSha256, SpecResponse Spec, string Price, string Fee, string Escrow,
    SubmittedResponse Submitted, IReadOnlyList<AttemptResponse> Attempts, IReadOnlyList<ReexecutionResponse> Reexecutions);

public sealed record SubmittedResponse(
    string OutputId, string OutputSha256, long Size, string Preview, string WorkerId, long Lease, string Signature, string PowNonce);

public sealed record ReexecutionResponse(
    int Number, DateTimeOffset At, string Outcome, string? OutputSha256, long Size, string Preview, long FuelUsed, long DurationMs, string? Detail,
    bool MatchesSubmitted);

public sealed record DeadlinesResponse(DateTimeOffset? ReviewBy, DateTimeOffset? ArbitrateBy);

/// <summary>Who decided (an admin's account id, or <c>platform</c>), when, and why.</summary>
public sealed record DecisionResponse(string By, DateTimeOffset At, string? Note, bool Automatic);

public sealed record DisputeSummaryResponse(
    string Id, string TaskId, string WorkerId, string Reason, string Status, string? Outcome, double? WorkerShare, string Escrow,
    DateTimeOffset? ArbitrateBy, DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt)
{
    public static DisputeSummaryResponse From(DisputeSummary d) => new(
        d.Id, d.TaskId, d.WorkerId, DisputeWire.Name(d.Reason), d.Status.ToString(), d.Outcome is { } o ? DisputeWire.Name(o) : null,
        DisputeWire.Share(d.WorkerShareBps), M.Format(d.Escrow), d.ArbitrateBy, d.OpenedAt, d.UpdatedAt);
}

/// <summary>The documented body of <c>POST /api/tasks/{id}/disputes</c>.</summary>
public sealed record OpenDisputeRequest(string Reason, string? Details);

/// <summary>The documented body of <c>POST /api/admin/disputes/{id}/decision</c>.</summary>
public sealed record DecisionRequest(string Outcome, double? WorkerShare, string Note);
