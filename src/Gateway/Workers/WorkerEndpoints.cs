using System.Text.Json;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Gstd.Tasks;
using Gstd.Trust;
using Gstd.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Workers;

/// <summary>Registering and reading workers; admins suspend and resume them.</summary>
public static class WorkerEndpoints
{
    private const int MaxCapacity = 64;

    public static void Map(IEndpointRouteBuilder app)
    {
        var workers = app.MapGroup("/api/workers").WithTags("Workers");
        workers.MapPost("/", RegisterAsync).RequireAuthorization(Policies.Worker)
            .Accepts<RegisterWorkerRequest>("application/json")
            .Produces<WorkerResponse>(StatusCodes.Status201Created).Produces<WorkerResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        workers.MapGet("/", async (HttpContext context, IGrainFactory grains) =>
                Results.Ok(new ListResponse<WorkerResponse>(
                    (await grains.GetGrain<IWorkerListGrain>(context.User.AccountIdOf()).List()).Select(WorkerResponse.From).ToArray(), null)))
            .RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey).Produces<ListResponse<WorkerResponse>>();
        workers.MapGet("/{id}", async (string id, HttpContext context, IGrainFactory grains) =>
                Ids.IsWellFormed(id) && await grains.GetGrain<IWorkerGrain>(id).Get(context.User.AccountIdOf(), context.User.IsInRole(RoleNames.Admin)) is { } view
                    ? Results.Ok(WorkerResponse.From(view))
                    : Problems.NotFound("The worker"))
            .RepeatOnTransientFault().RequireAuthorization(Policies.AnyKey).Produces<WorkerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPatch("/{id}", SetCapacityAsync).RequireAuthorization(Policies.Worker)
            .Accepts<WorkerCapacityRequest>("application/json")
            .Produces<WorkerResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var admin = app.MapGroup("/api/admin/workers").WithTags("Admin");
        admin.MapPost("/{id}/suspend", (string id, IGrainFactory grains) => SetStatusAsync(id, grains, WorkerStatus.Suspended))
            .RequireAuthorization(Policies.Admin).Produces<WorkerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/{id}/resume", (string id, IGrainFactory grains) => SetStatusAsync(id, grains, WorkerStatus.Active))
            .RequireAuthorization(Policies.Admin).Produces<WorkerResponse>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        var name = reader.String("name", required: true, maxLength: 100, isName: true);
        var publicKey = reader.String("publicKey", required: true, maxLength: 100);
        var capabilities = reader.StringArray("capabilities", required: true);
        if (capabilities is not null && (capabilities.Length == 0 || capabilities.Any(c => c != "wasm")))
        {
            reader.Error("capabilities", "Must be [\"wasm\"]: the only kind of work there is today.");
        }

        var capacity = (int)reader.Integer("capacity", 1, MaxCapacity, 1);
        var location = ReadLocation(body, reader);
        byte[]? key = null;
        if (publicKey is not null && (!TryBase64(publicKey, out key) || key.Length != 32))
        {
            reader.Error("publicKey", "Must be the standard base64 of a raw 32-byte Ed25519 public key.");
        }

        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        var result = await grains.GetGrain<IWorkerGrain>(Ids.New("wrk"))
            .Register(new RegisterWorker(context.User.AccountIdOf(), name!.Trim(), key!, capabilities!, capacity, location));
        return result.Status switch
        {
            RegistrationStatus.Created => Results.Created($"/api/workers/{result.Worker!.Id}", WorkerResponse.From(result.Worker)),
            RegistrationStatus.Existing => Results.Ok(WorkerResponse.From(result.Worker!)),
            RegistrationStatus.InvalidKey => Problems.Validation("publicKey", "Is not a valid Ed25519 public key."),
            _ => Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.Conflict, "The public key belongs to another account's worker.",
                "Generate a new key pair for this worker."),
        };
    }

    private static async Task<IResult> SetCapacityAsync(string id, HttpContext context, JsonElement body, IGrainFactory grains)
    {
        var reader = new JsonBody(body);
        var capacity = (int)reader.Integer("capacity", 1, MaxCapacity, 0, required: true);
        if (!reader.IsValid)
        {
            return reader.Problem();
        }

        return Ids.IsWellFormed(id) && await grains.GetGrain<IWorkerGrain>(id).SetCapacity(context.User.AccountIdOf(), capacity) is { } view
            ? Results.Ok(WorkerResponse.From(view))
            : Problems.NotFound("The worker");
    }

    /// <summary>An optional location, stored rounded to whole degrees.</summary>
    private static GeoCell? ReadLocation(JsonElement body, JsonBody reader)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("location", out var location) || location.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var fields = new JsonBody(location);
        var lat = fields.Number("lat", -90, 90, double.NaN);
        var lon = fields.Number("lon", -180, 180, double.NaN);
        if (!fields.IsValid || double.IsNaN(lat) || double.IsNaN(lon))
        {
            reader.Error("location", "Must be {\"lat\": -90…90, \"lon\": -180…180}.");
            return null;
        }

        return new GeoCell((int)Math.Round(lat), (int)Math.Round(lon));
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    private static async Task<IResult> SetStatusAsync(string id, IGrainFactory grains, WorkerStatus status) =>
        Ids.IsWellFormed(id) && await grains.GetGrain<IWorkerGrain>(id).SetStatus(status) is { } view
            ? Results.Ok(WorkerResponse.From(view))
            : Problems.NotFound("The worker");
}

/// <summary>
/// A worker; <c>online</c>, <c>activeLeases</c>, <c>counters</c>, <c>earned</c> (a GSTD amount) and
/// <c>trustHistory</c> are present when one worker is read.
/// </summary>
public sealed record WorkerResponse(
    string Id, string Name, string PublicKey, IReadOnlyList<string> Capabilities, int Capacity, LocationResponse? Location,
    double Trust, string Status, DateTimeOffset CreatedAt, bool? Online, int? ActiveLeases, WorkerCounters? Counters, string? Earned,
    IReadOnlyList<TrustChangeResponse>? TrustHistory)
{
    public static WorkerResponse From(WorkerView w) => new(
        w.Id, w.Name, Convert.ToBase64String(w.PublicKey), w.Capabilities, w.Capacity,
        w.Location is { } l ? new LocationResponse(l.Lat, l.Lon) : null, Math.Round(w.Trust, 4), w.Status.ToString(), w.CreatedAt,
        w.Activity?.Online, w.Activity?.ActiveLeases,
        w.Activity is { } a ? new WorkerCounters(a.Completed, a.Settled) : null,
        w.Activity is { } paid ? Money.Money.Format(paid.Earned) : null,
        w.Activity?.RecentTrust.Select(c => new TrustChangeResponse(c.At, TrustEvents.Name(c.Event), c.TaskId, c.WorkerId, Math.Round(c.Trust, 4))).ToList());
}

/// <summary>One change of the account's trust: what happened (<c>succeeded</c>, <c>missed_offer</c>, <c>lost_lease</c>, <c>invalid_result</c>, <c>lost_dispute</c>) and the trust after it.</summary>
public sealed record TrustChangeResponse(DateTimeOffset At, string Event, string? TaskId, string? WorkerId, double Trust);

public sealed record LocationResponse(int Lat, int Lon);

public sealed record WorkerCapacityRequest(int Capacity);

/// <summary>Results the worker delivered that verified, and how many of those have settled (been paid).</summary>
public sealed record WorkerCounters(long Completed, long Settled);

public sealed record RegisterWorkerRequest(string Name, string PublicKey, IReadOnlyList<string> Capabilities, int? Capacity, LocationResponse? Location);
