using Microsoft.AspNetCore.Http;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Gstd.Gateway.Http;

/// <summary>
/// Runs an endpoint again when its grain call failed transiently: the silo holding the grain died, or the
/// call timed out. Orleans does not cancel a timed-out call, so the first attempt may still take effect: it is
/// put only on endpoints that are safe to repeat (<see cref="GrainCallRetryExtensions.RepeatOnTransientFault"/>),
/// and repeats a command only when it carries an <c>Idempotency-Key</c> its grain deduplicates.
/// </summary>
public sealed class GrainCallRetry(ResiliencePipelineProvider<string> pipelines) : IEndpointFilter
{
    public const string Pipeline = "grain-calls";

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(Pipeline);

    /// <summary>A few quick retries: a dead silo's grains come back elsewhere within a second or two.</summary>
    public static void Configure(ResiliencePipelineBuilder builder) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SiloUnavailableException>().Handle<OrleansMessageRejectionException>().Handle<TimeoutException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        });

    public static bool IsRepeatable(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Headers.ContainsKey("Idempotency-Key");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsRepeatable(context.HttpContext.Request)
            ? await _pipeline.ExecuteAsync(async _ => await next(context), context.HttpContext.RequestAborted)
            : await next(context);
}
