using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gstd.Content;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Tasks;

/// <summary>Submitting, reading, listing, cancelling and accepting tasks.</summary>
public static class TaskEndpoints
{
    private const int MaxIdempotencyKeyLength = 200;

    public static void Map(IEndpointRouteBuilder app, PlatformLimits limits)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("Tasks");
        tasks.MapPost("/", (HttpContext context, JsonElement body, IGrainFactory grains, IdempotentTaskIds ids) => SubmitAsync(context, body, grains, ids, limits))
            .RepeatOnTransientFault().RequireAuthorization(Policies.Client)
            // Inline input arrives as base64 inside the JSON body.
            .WithMetadata(new BodySizeLimit((limits.MaxInlineInputBytes * 4L / 3) + (16 * 1024)))
            .Accepts<SubmitTaskRequest>("application/json")
            .Produces<TaskResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        tasks.MapGet("/", ListAsync).RepeatOnTransientFault().RequireAuthorization(Policies.Client).Produces<ListResponse<TaskSummaryResponse>>().ProducesValidationProblem();
        tasks.MapGet("/{id}", GetAsync).RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey).Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapPost("/{id}/cancel", (string id, HttpContext context, IGrainFactory grains) => ActAsync(id, context, grains, (t, a) => t.Cancel(a)))
            .RequireAuthorization(Policies.Client).Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id}/accept", (string id, HttpContext context, IGrainFactory grains) => ActAsync(id, context, grains, (t, a) => t.Accept(a)))
            .RequireAuthorization(Policies.Client).Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/{id}/redrive", (string id, HttpContext context, IGrainFactory grains) =>
                IdempotencyKeyOf(context) is { IsValid: false }
                    ? Task.FromResult(Problems.Validation("Idempotency-Key", $"Must be 1 to {MaxIdempotencyKeyLength} characters."))
                    : ActAsync(id, context, grains, (t, a) => t.Redrive(a, context.User.IsInRole(RoleNames.Admin), IdempotencyKeyOf(context).Key)))
            .RepeatOnTransientFault().RequireAuthorization(Policies.FullKey).Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status402PaymentRequired);
        app.MapGroup("/api/admin/tasks").WithTags("Admin")
            .MapPost("/{id}/retry-now", (string id, HttpContext context, IGrainFactory grains) => ActAsync(id, context, grains, (t, _) => t.RetryNow()))
            .RequireAuthorization(Policies.Admin).Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, JsonElement body, IGrainFactory grains, IdempotentTaskIds ids, PlatformLimits limits)
    {
        var account = context.User.AccountIdOf();
        var (idempotencyKey, keyIsValid) = IdempotencyKeyOf(context);
        if (!keyIsValid)
        {
            return Problems.Validation("Idempotency-Key", $"Must be 1 to {MaxIdempotencyKeyLength} characters.");
        }

        var reader = new JsonBody(body);
        var moduleId = reader.String("moduleId", required: true, maxLength: 100);
        if (moduleId is not null && !ContentId.IsWellFormed(moduleId))
        {
            reader.Error("moduleId", "Must be a module id such as \"sha256:<64 hex digits>\".");
        }

        var price = reader.Money("price", required: true, limits.MaxPriceNano);
        if (price < limits.MinPriceNano)
        {
            reader.Error("price", $"Must be at least {Money.Money.Format(limits.MinPriceNano)}.");
        }

        var input = reader.String("input", required: false, maxLength: int.MaxValue);
        var inputId = reader.String("inputId", required: false, maxLength: 100);
        byte[]? inputBytes = null;
        if ((input is null) == (inputId is null))
        {
            reader.Error("input", "Give exactly one of input (base64) and inputId.");
        }
        else if (input is not null)
        {
            inputBytes = DecodeInput(input, limits, reader);
        }
        else if (!ContentId.IsWellFormed(inputId))
        {
            reader.Error("inputId", "Must be a blob id such as \"sha256:<64 hex digits>\".");
        }

        var d = TaskSpec.Default;
        var spec = new TaskSpec(
            (int)reader.Integer("timeoutSeconds", 1, 3_600, d.TimeoutSeconds),
            reader.Integer("maxFuel", 1_000_000, 1_000_000_000_000, d.MaxFuel),
            (int)reader.Integer("memoryLimitMb", 1, 1_024, d.MemoryLimitMb),
            reader.Number("minTrust", 0, 1, d.MinTrust),
            (int)reader.Integer("priority", 0, 9, d.Priority),
            (int)reader.Integer("maxAttempts", 1, 10, d.MaxAttempts),
            (int)reader.Integer("replicas", 1, 5, d.Replicas),
            (int)reader.Integer("reviewSeconds", 0, 604_800, d.ReviewSeconds),
            (int)reader.Integer("queueTimeoutSeconds", 10, 604_800, d.QueueTimeoutSeconds));
        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        if (inputBytes is not null)
        {
            inputId = ContentId.Of(inputBytes);
        }

        var taskId = idempotencyKey is null ? TaskIds.New() : await ids.ForAsync(account, idempotencyKey);
        var requestHash = SHA256.HashData(Encoding.UTF8.GetBytes(body.GetRawText()));
        var result = await grains.GetGrain<ITaskGrain>(taskId)
            .Submit(new SubmitTask(account, moduleId!, inputId!, price!.Value, spec, requestHash, inputBytes, FreshId: idempotencyKey is null));
        switch (result.Status)
        {
            case SubmitStatus.Created:
                return Results.Created($"/api/tasks/{taskId}", TaskResponse.From(result.Task!));
            case SubmitStatus.Replayed:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return Results.Created($"/api/tasks/{taskId}", TaskResponse.From(result.Task!));
            case SubmitStatus.KeyReused:
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused,
                    "The Idempotency-Key was used for a different request.", "Use a new key for a new request.");
            case SubmitStatus.ModuleNotFound:
                return Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.ModuleNotFound, "The module was not found.",
                    "Upload the module with POST /api/modules first; only its uploader may use it.");
            case SubmitStatus.InputNotFound:
                return Problems.Validation("inputId", "No blob with this id was uploaded by this account.");
            case SubmitStatus.QueueFull:
                context.Response.Headers.RetryAfter = "30";
                return Problems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.TooManyQueuedTasks,
                    $"This account already has {limits.MaxQueuedTasks} tasks waiting for a worker.",
                    "Wait for some to start, or cancel some, then submit again; the limit is maxQueuedTasks in GET /api/limits.");
            default:
                return Problems.Create(StatusCodes.Status402PaymentRequired, ProblemCodes.InsufficientFunds, "The balance does not cover this task.",
                    "The escrow is the price times the replicas plus the fee; add funds and try again.");
        }
    }

    /// <summary>The request's Idempotency-Key header, if any, and whether it is acceptable.</summary>
    private static (string? Key, bool IsValid) IdempotencyKeyOf(HttpContext context)
    {
        string? key = context.Request.Headers["Idempotency-Key"];
        return (key, key is not { Length: 0 or > MaxIdempotencyKeyLength });
    }

    private static byte[]? DecodeInput(string input, PlatformLimits limits, JsonBody reader)
    {
        var buffer = new byte[(input.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(input, buffer, out var written))
        {
            reader.Error("input", "Must be standard base64.");
            return null;
        }

        if (written > limits.MaxInlineInputBytes)
        {
            reader.Error("input", $"Inline input is at most {limits.MaxInlineInputBytes} bytes; upload larger input with POST /api/blobs.");
            return null;
        }

        return buffer[..written];
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        if (!Identity.Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The task");
        }

        var view = await grains.GetGrain<ITaskGrain>(id).Get(context.User.AccountIdOf(), context.User.IsInRole(RoleNames.Admin));
        return view is null ? Problems.NotFound("The task") : Results.Ok(TaskResponse.From(view));
    }

    private static async Task<IResult> ActAsync(string id, HttpContext context, IGrainFactory grains, Func<ITaskGrain, string, Task<TaskActionResult>> action)
    {
        if (!Identity.Ids.IsWellFormed(id))
        {
            return Problems.NotFound("The task");
        }

        var result = await action(grains.GetGrain<ITaskGrain>(id), context.User.AccountIdOf());
        return result.Status switch
        {
            TaskActionStatus.Done => Results.Ok(TaskResponse.From(result.Task!)),
            TaskActionStatus.NotFound => Problems.NotFound("The task"),
            TaskActionStatus.EscrowFrozen => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.EscrowFrozen, "The escrow is frozen by a dispute.", result.Detail),
            TaskActionStatus.InsufficientFunds => Problems.Create(StatusCodes.Status402PaymentRequired, ProblemCodes.InsufficientFunds, "The balance does not cover this task.", result.Detail),
            _ => Problems.InvalidState(result.Detail ?? "The task is not in a state that allows this."),
        };
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, IGrainFactory grains, string? status, DateTimeOffset? from, DateTimeOffset? to, string? moduleId, int? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        var statuses = new List<TaskState>();
        foreach (var name in (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<TaskState>(name, ignoreCase: false, out var state) && Enum.IsDefined(state) && !int.TryParse(name, out _))
            {
                statuses.Add(state);
            }
            else
            {
                errors["status"] = [$"'{name}' is not a task status."];
            }
        }

        var (pageSize, after) = TaskCursors.ReadPage(limit, cursor, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await grains.GetGrain<ITaskListGrain>(context.User.AccountIdOf())
            .List(new TaskQuery(statuses, moduleId, from, to, after, pageSize));
        return Results.Ok(new ListResponse<TaskSummaryResponse>(
            page.Items.Select(TaskSummaryResponse.From).ToArray(),
            page.Next is { } next ? TaskCursors.Encode(next) : null));
    }
}
