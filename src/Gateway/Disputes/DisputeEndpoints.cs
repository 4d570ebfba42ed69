using System.Text.Json;
using Gstd.Disputes;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Gateway.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Disputes;

/// <summary>Opening, reading and listing disputes, and the admins' arbitration queue and decisions.</summary>
public static class DisputeEndpoints
{
    private const int MaxTextLength = 4_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tasks/{id}/disputes", OpenAsync).WithTags("Disputes").RequireAuthorization(Policies.Client)
            .Accepts<OpenDisputeRequest>("application/json").Produces<DisputeResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var disputes = app.MapGroup("/api/disputes").WithTags("Disputes");
        disputes.MapGet("/", (HttpContext context, IGrainFactory grains, string? status, int? limit, string? cursor) =>
                ListAsync(grains.GetGrain<IDisputeListGrain>(context.User.AccountIdOf()), status, limit, cursor))
            .RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey).Produces<ListResponse<DisputeSummaryResponse>>().ProducesValidationProblem();
        disputes.MapGet("/{id}", GetAsync).RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey)
            .Produces<DisputeResponse>().ProducesProblem(StatusCodes.Status404NotFound);

        var admin = app.MapGroup("/api/admin/disputes").WithTags("Admin");
        admin.MapGet("/", (IGrainFactory grains, string? status, int? limit, string? cursor) =>
                ListAsync(grains.GetGrain<IDisputeListGrain>(IDisputeListGrain.Everyone), status, limit, cursor))
            .RepeatOnTransientFault().RequireAuthorization(Policies.Admin).Produces<ListResponse<DisputeSummaryResponse>>().ProducesValidationProblem();
        admin.MapPost("/{id}/decision", DecideAsync).RequireAuthorization(Policies.Admin)
            .Accepts<DecisionRequest>("application/json").Produces<DisputeResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> OpenAsync(string id, HttpContext context, JsonElement body, IGrainFactory grains)
    {
        if (!Identity.Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The task");
        }

        var reader = new JsonBody(body);
        var reasonText = reader.String("reason", required: true, maxLength: 40);
        var details = reader.String("details", required: false, maxLength: MaxTextLength) ?? "";
        var reason = default(DisputeReason);
        if (reasonText is not null && !DisputeWire.TryParse(reasonText, out reason))
        {
            reader.Error("reason", "Must be \"wrong_output\" or \"other\".");
        }

        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var disputeId = DisputeIds.ForTask(id);
        var result = await grains.GetGrain<IDisputeGrain>(disputeId).Open(new OpenDispute(context.User.AccountIdOf(), id, reason, details));
        return result.Status == DisputeActionStatus.Done
            ? Results.Created($"/api/disputes/{disputeId}", DisputeResponse.From(result.Dispute!))
            : Refusal(result, "The task");
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        if (!Identity.Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The dispute");
        }

        var view = await grains.GetGrain<IDisputeGrain>(id).Get(context.User.AccountIdOf(), context.User.IsInRole(RoleNames.Admin));
        return view is null ? Problems.NotFound("The dispute") : Results.Ok(DisputeResponse.From(view));
    }

    private static async Task<IResult> ListAsync(IDisputeListGrain list, string? status, int? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        var statuses = new List<DisputeStatus>();
        foreach (var name in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<DisputeStatus>(name, ignoreCase: false, out var state) && Enum.IsDefined(state) && !int.TryParse(name, out _))
            {
                statuses.Add(state);
            }
            else
            {
                errors["status"] = [$"'{name}' is not a dispute status (Open, AutoReviewing, AwaitingArbitration, Resolved)."];
            }
        }

        var (pageSize, after) = TaskCursors.ReadPage(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await list.List(new DisputeQuery(statuses, after, pageSize));
        return Results.Ok(new ListResponse<DisputeSummaryResponse>(
            page.Items.Select(DisputeSummaryResponse.From).ToArray(), page.Next is { } next ? TaskCursors.Encode(next) : null));
    }

    /// <summary>
    /// An admin decides: <c>refund</c>, <c>release</c>, or <c>split</c> with the worker's share (a number in
    /// [0, 1], at most 4 decimals). A note is required: it is shown to both parties with the admin's id.
    /// </summary>
    private static async Task<IResult> DecideAsync(string id, HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        var outcomeText = reader.String("outcome", required: true, maxLength: 40);
        var share = reader.Ratio("workerShare");
        var note = reader.String("note", required: true, maxLength: MaxTextLength);
        var outcome = default(DisputeOutcome);
        if (outcomeText is not null && !DisputeWire.TryParse(outcomeText, out outcome))
        {
            reader.Error("outcome", "Must be \"refund\", \"release\" or \"split\".");
        }
        else if (outcomeText is not null && (outcome, share) switch
        {
            (DisputeOutcome.Split, null) => "A split needs workerShare, the worker's part as a number between 0 and 1.",
            (DisputeOutcome.Refund, not (null or 0)) => "A refund gives the worker nothing: leave workerShare out or use a split.",
            (DisputeOutcome.Release, not (null or 10_000)) => "A release gives the worker everything: leave workerShare out or use a split.",
            _ => null,
        } is { } mismatch)
        {
            reader.Error("workerShare", mismatch);
        }

        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        if (!Identity.Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The dispute");
        }

        var result = await grains.GetGrain<IDisputeGrain>(id).Decide(new ArbitrationDecision(context.User.AccountIdOf(), outcome, share ?? 0, note));
        return result.Status == DisputeActionStatus.Done ? Results.Ok(DisputeResponse.From(result.Dispute!)) : Refusal(result, "The dispute");
    }

    private static IResult Refusal(DisputeActionResult result, string what) => result.Status switch
    {
        DisputeActionStatus.NotFound => Problems.NotFound(what),
        DisputeActionStatus.AlreadyDisputed => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.AlreadyDisputed, "The task was disputed before.", result.Detail),
        DisputeActionStatus.ReviewWindowClosed => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.ReviewWindowClosed, "The task's review window has closed.", result.Detail),
        DisputeActionStatus.TooManyOpen => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "Too many open disputes.", result.Detail),
        _ => Problems.InvalidState(result.Detail ?? "The resource is not in a state that allows this."),
    };
}
