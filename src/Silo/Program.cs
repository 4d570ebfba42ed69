using Gstd.Content;
using Gstd.Gateway;
using Gstd.Grains.Accounts;
using Gstd.Grains.Disputes;
using Gstd.Grains.Ledger;
using Gstd.Grains.Network;
using Gstd.Grains.Scheduling;
using Gstd.Grains.Storage;
using Gstd.Grains.Tasks;
using Gstd.Grains.Verification;
using Gstd.Silo.Health;
using Gstd.Silo.Hosting;
using Gstd.Silo.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;

// "Gstd.Silo migrate" applies the migrations and the admin bootstrap, then exits without starting a silo.
var migrateOnly = args.Length > 0 && args[0] == "migrate";
// Configuration files sit next to the executable, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = migrateOnly ? args[1..] : args,
    ContentRootPath = AppContext.BaseDirectory,
});

var connectionString = builder.Configuration.GetConnectionString("Gstd")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Gstd (e.g. the environment variable ConnectionStrings__Gstd) to the PostgreSQL connection string.");
builder.Services.AddGstdCore(connectionString);
builder.Services.Configure<PlatformLimits>(builder.Configuration.GetSection(PlatformLimits.Section));
builder.Services.Configure<NetworkMapOptions>(builder.Configuration.GetSection(NetworkMapOptions.Section));
builder.Services.Configure<DisputeOptions>(builder.Configuration.GetSection(DisputeOptions.Section));
builder.Services.Configure<VerificationOptions>(builder.Configuration.GetSection(VerificationOptions.Section));
builder.Services.Configure<TaskWriteOptions>(builder.Configuration.GetSection(TaskWriteOptions.Section));
builder.Services.Configure<GroupCommitOptions>(builder.Configuration.GetSection(GroupCommitOptions.Section));
builder.Services.AddSingleton<DatabaseMigrator>();
builder.Services.AddGstdGateway(builder.Configuration);
// Metrics at /metrics (Prometheus text): the sentinel's audit, retries of transient faults, Orleans, HTTP.
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(AuditMetrics.MeterName, "Polly", "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Npgsql")
    .AddPrometheusExporter());
builder.Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"])
    .AddCheck<ClusterMembershipHealthCheck>("cluster", tags: ["ready"]);
builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
if (!migrateOnly)
{
    builder.UseOrleans(silo => silo.ConfigureGstdSilo(builder.Configuration));
}

var app = builder.Build();

// The admin key is resolved and applied inside the migration lock, so silos starting together in
// Development agree on one generated key.
await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(
    async (connection, ct) =>
    {
        var adminKey = AdminKeySource.Resolve(app.Configuration, app.Environment);
        if (adminKey is null)
        {
            app.Logger.LogWarning("No admin key is configured (Gstd:AdminApiKey): the admin account has no key.");
            return;
        }

        await AdminBootstrap.EnsureAdminAsync(connection, app.Services.GetRequiredService<LedgerStore>(), adminKey, TimeProvider.System, ct);
    },
    app.Lifetime.ApplicationStopping);

if (migrateOnly)
{
    await app.Services.GetRequiredService<NpgsqlDataSource>().DisposeAsync();
    return;
}

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapGstdGateway();
// Metrics describe the whole platform (its load, its failures): admins only, scraped with the admin key as a bearer token.
app.MapPrometheusScrapingEndpoint().RequireAuthorization(Gstd.Gateway.Auth.Policies.Admin);
await app.RunAsync();

/// <summary>The silo executable; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;
