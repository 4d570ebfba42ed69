using System.Net.WebSockets;
using System.Security.Cryptography;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Identity;
using Gstd.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Realtime;

/// <summary><c>GET /ws</c> (with a bearer key or a ticket) and <c>POST /api/realtime/tickets</c>.</summary>
public static class RealtimeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/realtime/tickets", async (HttpContext context, IGrainFactory grains, TimeProvider time) =>
            {
                var ticket = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(24));
                await grains.GetGrain<ITicketGrain>(ticket).Issue(Principal(context));
                return Results.Created("/ws", new TicketResponse(ticket, time.GetUtcNow().AddSeconds(ITicketGrain.LifetimeSeconds)));
            })
            .WithTags("Realtime").RequireAuthorization(Policies.AnyKey).Produces<TicketResponse>(StatusCodes.Status201Created);

        app.MapGet("/ws", ConnectAsync).WithTags("Realtime").AllowAnonymous();
    }

    private static async Task<IResult> ConnectAsync(
        HttpContext context, string? ticket, IGrainFactory grains, TopicHub hub, SocketRegistry sockets, RequestBudget budget, IOptions<GatewayOptions> options,
        IHostApplicationLifetime lifetime, ILoggerFactory logs)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.Validation("Upgrade", "GET /ws is a WebSocket endpoint.");
        }

        var principal = context.User.Identity?.IsAuthenticated == true
            ? Principal(context)
            : ticket is { Length: > 0 and < 100 } ? await grains.GetGrain<ITicketGrain>(ticket).Redeem() : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (principal is null)
        {
            // A browser cannot read the status of a refused upgrade; a close code it can (4401: get a new ticket).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.CloseAsync((WebSocketCloseStatus)4401, "unauthorized: a valid API key or an unused, unexpired ticket is required", timeout.Token);
            return Results.Empty;
        }

        var session = new SocketSession(socket, principal, grains, hub, sockets, budget, TimeSpan.FromSeconds(options.Value.PingSeconds), logs.CreateLogger<SocketSession>());
        if (!sockets.TryAdd(session))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await SocketSession.RefuseAsync(socket, timeout.Token);
            return Results.Empty;
        }

        try
        {
            await session.RunAsync(context.RequestAborted, lifetime.ApplicationStopping);
        }
        finally
        {
            sockets.Remove(session);
        }

        return Results.Empty;
    }

    private static Principal Principal(HttpContext context)
    {
        var user = context.User;
        var roles = user.Claims.Where(c => c.Type == System.Security.Claims.ClaimTypes.Role)
            .Aggregate(AccountRoles.None, (all, c) => RoleNames.TryParse(c.Value, out var r) ? all | r : all);
        var workerRole = Enum.TryParse<WorkerRoleStatus>(user.FindFirst(GstdClaims.WorkerRole)?.Value, out var w) ? w : (WorkerRoleStatus?)null;
        return new Principal(user.AccountIdOf(), user.FindFirst(GstdClaims.KeyId)!.Value,
            Enum.Parse<KeyScope>(user.FindFirst(GstdClaims.Scope)!.Value), roles, workerRole);
    }
}

public sealed record TicketResponse(string Ticket, DateTimeOffset ExpiresAt);
