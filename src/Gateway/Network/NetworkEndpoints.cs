using Gstd.Network;
using Gstd.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Network;

/// <summary><c>GET /api/network/map</c>: public, whole-degree cells only; live changes on the <c>network</c> topic.</summary>
public static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/network/map", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<INetworkMapGrain>(0).Get()))
            .WithTags("Network").AllowAnonymous().RepeatOnTransientFault().Produces<NetworkMap>();
}
