using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Gstd.Content;
using Gstd.Gateway.Accounts;
using Gstd.Gateway.Content;
using Gstd.Gateway.Auth;
using Gstd.Gateway.Http;
using Gstd.Gateway.Ledger;
using Gstd.Gateway.Realtime;
using Gstd.Gateway.Tasks;
using Gstd.Gateway.WebApp;
using Gstd.Gateway.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace Gstd.Gateway;

/// <summary>Registers and maps the public HTTP API. The silo hosts it; it talks to grains only.</summary>
public static class GatewayExtensions
{
    public static IServiceCollection AddGstdGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<RequestBudget>();
        services.AddRateLimiter(ConfigureRateLimits);
        services.AddOptions<RateLimiterOptions>().Configure<RequestBudget>((o, budget) => o.GlobalLimiter = budget.ForRequests());
        services.AddResiliencePipeline(GrainCallRetry.Pipeline, (builder, _) => GrainCallRetry.Configure(builder));
        services.AddOpenApi();
        services.AddSingleton<IdempotentTaskIds>();
        services.AddSingleton<SocketRegistry>();
        services.AddHostedService<RevocationWatcher>();
        services.AddSingleton<ITopicSource, OrleansTopicSource>();
        services.AddSingleton<TopicHub>();
        services.AddHostedService(sp => sp.GetRequiredService<TopicHub>());
        return services;
    }

    public static WebApplication MapGstdGateway(this WebApplication app)
    {
        app.UseForwardedHeaders(ForwardedFrom(app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies));
        app.UseExceptionHandler();
        app.UseGstdWebApp();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });

        app.MapOpenApi();
        // Every endpoint of the API checks its query, path and time parameters the same way (InputGuard).
        var api = app.MapGroup("").GuardInputs();
        AccountEndpoints.Map(api, faucet: app.Environment.IsDevelopment());
        LedgerEndpoints.Map(api);
        Analytics.SpendEndpoints.Map(api);
        var limits = app.Services.GetRequiredService<IOptions<PlatformLimits>>().Value;
        ContentEndpoints.Map(api, limits);
        LimitsEndpoints.Map(api, limits);
        TaskEndpoints.Map(api, limits);
        DeadLetterEndpoints.Map(api);
        Disputes.DisputeEndpoints.Map(api);
        Admin.AuditEndpoints.Map(api);
        WorkerEndpoints.Map(api);
        RealtimeEndpoints.Map(api);
        Network.NetworkEndpoints.Map(api);
        return app;
    }

    /// <summary>Forwarded client addresses from the configured proxies only; none are trusted by default, not even loopback.</summary>
    private static ForwardedHeadersOptions ForwardedFrom(IReadOnlyList<string> proxies)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            if (System.Net.IPNetwork.TryParse(proxy, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else
            {
                options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        }

        return options;
    }

    private static void ConfigureRateLimits(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(AccountEndpoints.AccountCreationRateLimit, context =>
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter("ip:" + context.Connection.RemoteIpAddress, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.AccountCreationsPerHour,
                Window = TimeSpan.FromHours(1),
            });
        });
        options.AddPolicy(DeadLetterEndpoints.BulkRedriveRateLimit, context =>
        {
            // Limiting runs before authorization: a caller without an account is left to it (401) and the global limit.
            if (context.User.FindFirst(GstdClaims.AccountId)?.Value is not { } account)
            {
                return RateLimitPartition.GetNoLimiter("anonymous");
            }

            var limits = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return RateLimitPartition.GetFixedWindowLimiter("account:" + account, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.BulkRedrivesPerMinute,
                Window = TimeSpan.FromMinutes(1),
            });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await Problems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    "Too many requests.", "Slow down and retry after the time in Retry-After.")
                .ExecuteAsync(context.HttpContext);
        };
    }
}
