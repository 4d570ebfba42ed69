using Gstd.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;

namespace Gstd.GatewayTests.Resilience;

/// <summary>
/// Which requests the gateway repeats when their grain call meets a dead silo or a timeout: reads and keyed
/// commands, never a command the grain could not tell from the first one.
/// </summary>
public sealed class GrainCallRetryTests
{
    private readonly GrainCallRetry _filter;

    public GrainCallRetryTests()
    {
        var services = new ServiceCollection();
        services.AddResiliencePipeline(GrainCallRetry.Pipeline, (builder, _) => GrainCallRetry.Configure(builder));
        _filter = new GrainCallRetry(services.BuildServiceProvider().GetRequiredService<ResiliencePipelineProvider<string>>());
    }

    public static TheoryData<string, string?> Repeatable => new()
    {
        { "GET", null },
        { "POST", "submit-7" },
    };

    [Theory]
    [MemberData(nameof(Repeatable))]
    public async Task A_read_or_keyed_command_is_repeated_after_a_silo_died_under_it(string method, string? idempotencyKey)
    {
        var calls = 0;
        var result = await _filter.InvokeAsync(Context(method, idempotencyKey), _ =>
            ++calls == 1 ? throw new SiloUnavailableException("the silo died") : ValueTask.FromResult<object?>("answer"));

        Assert.Equal("answer", result);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task An_unkeyed_command_is_never_repeated()
    {
        var calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await _filter.InvokeAsync(Context("POST", null), _ =>
        {
            calls++;
            throw new TimeoutException("no answer");
        }));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Other_errors_are_not_retried_and_retries_give_up()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _filter.InvokeAsync(Context("GET", null), _ =>
        {
            calls++;
            throw new InvalidOperationException("a bug");
        }));
        Assert.Equal(1, calls);

        calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await _filter.InvokeAsync(Context("GET", null), _ =>
        {
            calls++;
            throw new TimeoutException("still no answer");
        }));
        Assert.Equal(4, calls);
    }

    private static DefaultEndpointFilterInvocationContext Context(string method, string? idempotencyKey)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        if (idempotencyKey is not null)
        {
            http.Request.Headers["Idempotency-Key"] = idempotencyKey;
        }

        return new DefaultEndpointFilterInvocationContext(http);
    }
}
