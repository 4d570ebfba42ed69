using System.Text.Json;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Tasks;

/// <summary>
/// The dead-letter queue: a client's own dead-lettered tasks, every client's for admins (with filters), and
/// the admins' bulk redrive.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>At most this many tasks are redriven by one bulk request, so one call cannot flood the pool.</summary>
    public const int MaxBulkRedrive = 500;

    /// <summary>The rate-limit policy of bulk redrives: a few calls a minute per admin account.</summary>
    public const string BulkRedriveRateLimit = "bulk-redrive";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dead-letters", (HttpContext context, IGrainFactory grains, IOptions<GatewayOptions> options, string? reason, string? workerId,
                    DateTimeOffset? from, DateTimeOffset? to, int? minAttempts, int? limit, string? cursor) =>
                ListAsync(grains.GetGrain<ITaskListGrain>(context.User.AccountIdOf()), options.Value.MaxPageBytes, reason, workerId, from, to, minAttempts, limit, cursor))
            .WithTags("Tasks").RepeatOnTransientFault().RequireAuthorization(Policies.Client).Produces<ListResponse<TaskResponse>>().ProducesValidationProblem();

        var admin = app.MapGroup("/api/admin/dead-letters").WithTags("Admin");
        admin.MapGet("/", (IGrainFactory grains, IOptions<GatewayOptions> options, string? reason, string? workerId, DateTimeOffset? from, DateTimeOffset? to,
                    int? minAttempts, int? limit, string? cursor) =>
                ListAsync(grains.GetGrain<ITaskListGrain>(ITaskListGrain.Everyone), options.Value.MaxPageBytes, reason, workerId, from, to, minAttempts, limit, cursor))
            .RepeatOnTransientFault().RequireAuthorization(Policies.Admin).Produces<ListResponse<TaskResponse>>().ProducesValidationProblem();
        admin.MapPost("/redrive", RedriveAsync).RequireRateLimiting(BulkRedriveRateLimit)
            .RequireAuthorization(Policies.Admin).Produces<BulkRedriveResponse>().ProducesValidationProblem();
    }

    private static async Task<IResult> ListAsync(
        ITaskListGrain list, int maxPageBytes, string? reason, string? workerId, DateTimeOffset? from, DateTimeOffset? to, int? minAttempts, int? limit, string? cursor)
    {
        var errors = Validate(reason, workerId, minAttempts);
        var (pageSize, after) = TaskCursors.ReadPage(limit, cursor, errors);

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await list.DeadLetters(new DeadLetterQuery(reason, workerId, from, to, minAttempts, after, pageSize));
        var (items, next) = WithinBytes(page, maxPageBytes);
        return Results.Ok(new ListResponse<TaskResponse>(items, next is null ? null : TaskCursors.Encode(next)));
    }

    /// <summary>
    /// The page's items while they fit <paramref name="maxBytes"/> of JSON (always at least one), and the cursor after the
    /// last one kept: a dead letter carries every attempt's error, so a page of many is cut by size as well as by count.
    /// </summary>
    private static (TaskResponse[] Items, TaskCursor? Next) WithinBytes(DeadLetterPage page, int maxBytes)
    {
        var kept = new List<TaskResponse>();
        long bytes = 0;
        foreach (var view in page.Items)
        {
            var item = TaskResponse.From(view);
            bytes += JsonSerializer.SerializeToUtf8Bytes(item, JsonSerializerOptions.Web).Length;
            if (kept.Count > 0 && bytes > maxBytes)
            {
                var last = page.Items[kept.Count - 1];
                return ([.. kept], new TaskCursor(last.UpdatedAt, last.Id));
            }

            kept.Add(item);
        }

        return ([.. kept], page.Next);
    }

    /// <summary>
    /// Redrives the dead letters matching a filter (the same fields as the listing): the most recently
    /// dead-lettered <c>limit</c> (≤ 500) of them, each held again from its client's balance; a client who
    /// cannot cover one is skipped and counted. <c>more</c> says whether to call again, with <c>cursor</c> set to
    /// the answer's <c>next</c>, so a skipped task is not tried again in the same sweep.
    /// </summary>
    private static async Task<IResult> RedriveAsync(HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        // A field this endpoint does not know is a filter it would ignore, and ignoring it would redrive more than asked.
        reader.OnlyFields("reason", "workerId", "from", "to", "minAttempts", "limit", "cursor");
        var reason = reader.String("reason", required: false, maxLength: 64);
        var workerId = reader.String("workerId", required: false, maxLength: 64);
        var from = reader.Timestamp("from");
        var to = reader.Timestamp("to");
        var minAttempts = (int)reader.Integer("minAttempts", 1, 100, 0);
        var limit = (int)reader.Integer("limit", 1, MaxBulkRedrive, MaxBulkRedrive);
        var cursor = reader.String("cursor", required: false, maxLength: 200);
        var errors = Validate(reason, workerId, null);
        if (!TaskCursors.TryDecode(cursor, out var after))
        {
            errors["cursor"] = ["Is not a cursor this API returned."];
        }

        if (!reader.IsValid || errors.Count > 0)
        {
            return reader.IsValid ? Problems.Validation(errors) : reader.Problem();
        }

        var list = grains.GetGrain<ITaskListGrain>(ITaskListGrain.Everyone);
        var page = await list.DeadLetters(new DeadLetterQuery(reason, workerId, from, to, minAttempts == 0 ? null : minAttempts, after, limit));
        int redriven = 0, unfunded = 0;
        foreach (var task in page.Items.Reverse())
        {
            var result = await grains.GetGrain<ITaskGrain>(task.Id).Redrive(context.User.AccountIdOf(), isAdmin: true, idempotencyKey: null);
            redriven += result.Status == TaskActionStatus.Done ? 1 : 0;
            unfunded += result.Status == TaskActionStatus.InsufficientFunds ? 1 : 0;
        }

        return Results.Ok(new BulkRedriveResponse(page.Items.Count, redriven, unfunded, page.Next is not null, page.Next is { } next ? TaskCursors.Encode(next) : null));
    }

    private static Dictionary<string, string[]> Validate(string? reason, string? workerId, int? minAttempts)
    {
        var errors = new Dictionary<string, string[]>();
        if (reason is { Length: 0 or > 64 })
        {
            errors["reason"] = ["Must be a reason code such as attempts_exhausted."];
        }

        if (workerId is not null && !Identity.Ids.IsWellFormed(workerId))
        {
            errors["workerId"] = ["Is not a worker id."];
        }

        if (minAttempts is < 1 or > 100)
        {
            errors["minAttempts"] = ["Must be between 1 and 100."];
        }

        return errors;
    }
}

/// <summary>
/// What a bulk redrive did: how many dead letters matched, were redriven, or were skipped for want of funds;
/// whether more match, and the cursor to send for them.
/// </summary>
public sealed record BulkRedriveResponse(int Matched, int Redriven, int Unfunded, bool More, string? Next);
