using Gstd.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Content;

/// <summary><c>GET /api/limits</c>: what the platform accepts, for clients to check before they send.</summary>
public static class LimitsEndpoints
{
    public static void Map(IEndpointRouteBuilder app, PlatformLimits limits)
    {
        var response = new LimitsResponse(limits.MaxModuleBytes, limits.MaxModuleFunctions, limits.MaxBlobBytes, limits.MaxInlineInputBytes, limits.MaxOutputBytes);
        app.MapGet("/api/limits", () => Results.Ok(response)).WithTags("Limits").AllowAnonymous().Produces<LimitsResponse>();
    }
}

public sealed record LimitsResponse(int MaxModuleBytes, int MaxModuleFunctions, int MaxBlobBytes, int MaxInlineInputBytes, int MaxOutputBytes);
