using Gstd.Content;
using Gstd.Gateway.Tasks;
using Gstd.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gstd.Gateway.Content;

/// <summary><c>GET /api/limits</c>: what the platform accepts, for clients to check before they send.</summary>
public static class LimitsEndpoints
{
    public static void Map(IEndpointRouteBuilder app, PlatformLimits limits)
    {
        var response = new LimitsResponse(
            limits.FeeBps, Money.Money.Format(limits.MinPriceNano), Money.Money.Format(limits.MaxPriceNano),
            limits.MaxModuleBytes, limits.MaxModuleFunctions, limits.MaxBlobBytes, limits.MaxInlineInputBytes, limits.MaxOutputBytes,
            SpecResponse.From(TaskSpec.Default), new SpecResponse(3_600, 1_000_000_000_000, 1_024, 1, 9, 10, 5, 604_800, 604_800),
            limits.MaxOpenDisputes, limits.MaxQueuedTasks, limits.StorageQuotaBytes,
            new PlatformRunLimits(limits.PlatformRunMaxFuel, limits.PlatformRunMaxSeconds, limits.PlatformRunMaxMemoryMb, limits.PlatformRunsQueuedPerClient));
        app.MapGet("/api/limits", () => Results.Ok(response)).WithTags("Limits").AllowAnonymous().Produces<LimitsResponse>();
    }
}

public sealed record LimitsResponse(
    int FeeBps, string MinPrice, string MaxPrice,
    int MaxModuleBytes, int MaxModuleFunctions, int MaxBlobBytes, int MaxInlineInputBytes, int MaxOutputBytes,
    SpecResponse TaskDefaults, SpecResponse TaskMaxima, int MaxOpenDisputes, int MaxQueuedTasks, long StorageQuotaBytes,
    PlatformRunLimits PlatformRuns);

/// <summary>
/// The caps on the platform's own runs of a task (spot checks, dispute reviews): a task asking for more is run by the
/// platform only up to them, and a run that reaches one proves nothing, so its result stands unverified.
/// </summary>
public sealed record PlatformRunLimits(long MaxFuel, int MaxSeconds, int MaxMemoryMb, int QueuedPerClient);
