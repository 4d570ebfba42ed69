using System.Net;
using Gstd.Content;
using Gstd.Grains.Content;
using Gstd.Grains.Ledger;
using Gstd.Grains.Realtime.Streams;
using Gstd.Grains.Scheduling;
using Gstd.Grains.Storage;
using Gstd.Grains.Verification;
using Gstd.Realtime;
using Gstd.Scheduling;
using Gstd.Sandbox.Modules;
using Gstd.Sandbox.Running;
using Microsoft.Extensions.Options;
using Polly;
using Npgsql;
using Orleans.Configuration;
using Orleans.LeaseProviders;
using Orleans.Serialization;
using Orleans.Storage;

namespace Gstd.Silo.Hosting;

/// <summary>How a GSTD silo is put together; shared by the executable and the cluster tests.</summary>
public static class GstdSilo
{
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// The silo's connections to PostgreSQL. The statements of the task path run thousands of times a second, so
    /// they are prepared on the server after two uses (parsed and planned once per connection, not per call), and
    /// a connection going back to the pool is not reset: nothing leaves session state behind (the migrator
    /// releases its advisory lock itself), and a reset would drop those prepared statements.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 128;
        }

        settings.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>One NpgsqlDataSource for every provider and our own code, plus the services grains need.</summary>
    public static IServiceCollection AddGstdCore(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddResiliencePipeline(Postgres.Pipeline, (builder, context) =>
            Postgres.Configure(builder, context.ServiceProvider.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<Postgres>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<ContentGrants>();
        services.AddMetrics();
        services.AddSingleton<AuditMetrics>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<WasmEngine>();
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<PlatformLimits>>().Value;
            return new ModuleValidator(sp.GetRequiredService<WasmEngine>(), new ModuleRules(limits.MaxModuleBytes, limits.MaxModuleFunctions));
        });
        // The platform's own executions (spot checks, dispute verdicts) run here, on a thread of their own, never the
        // thread pool's that serves requests. Normal priority: starved on a busy machine, checks would time out, prove
        // nothing, and so never end for a new account.
        services.AddSingleton(sp => new SandboxRunner(sp.GetRequiredService<WasmEngine>(), threads: 1));
        services.AddSingleton<PlatformRunner>();
        return services;
    }

    /// <summary>Grain state (System.Text.Json), reminders and the realtime streams in our PostgreSQL schema.</summary>
    public static ISiloBuilder UseGstdStorage(this ISiloBuilder silo)
    {
        silo.AddAdoNetGrainStorageAsDefault(ConfigureGrainStorage);
        silo.UseAdoNetReminderService(options => options.Configure<NpgsqlDataSource>((o, dataSource) =>
        {
            o.Invariant = AdoNetInvariant;
            o.DataSource = dataSource;
        }));
        return silo.UseGstdStreams();
    }

    /// <summary>
    /// Every topic is an Orleans stream of the persistent provider over the outbox (docs/realtime.md): its partitions are
    /// shared out by Orleans' lease-based balancer, their receivers woken after each commit that wrote to them. Subscriptions are kept by Orleans'
    /// pub-sub grains, stored (in Orleans' own binary form, which its stream types are made for) like other grain state.
    /// </summary>
    public static ISiloBuilder UseGstdStreams(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<OutboxSignals>();
        silo.Services.AddSingleton<OutboxWaker>();
        silo.Services.AddSingleton<ICommitObserver>(services => services.GetRequiredService<OutboxWaker>());
        silo.Services.AddHostedService(services => services.GetRequiredService<OutboxWaker>());
        silo.Services.AddHostedService<OutboxListener>();
        silo.Services.AddKeyedSingleton<ILeaseProvider, PostgresLeaseProvider>(TopicStreams.Provider);
        silo.AddAdoNetGrainStorage("PubSubStore", options => options.Configure<NpgsqlDataSource, Serializer>((o, dataSource, serializer) =>
        {
            o.Invariant = AdoNetInvariant;
            o.DataSource = dataSource;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.AddPersistentStreams(TopicStreams.Provider, OutboxAdapterFactory.Create, stream =>
        {
            stream.UseLeaseBasedQueueBalancer(options => options.Configure(o =>
            {
                o.LeaseLength = TimeSpan.FromSeconds(30);
                o.LeaseRenewPeriod = TimeSpan.FromSeconds(10);
                o.LeaseAcquisitionPeriod = TimeSpan.FromSeconds(1);
            }));
            // The receiver waits for its partition's signal itself; between two waits the agent pauses this long.
            stream.ConfigurePullingAgent(options => options.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(25)));
        });
        return silo;
    }

    public static ISiloBuilder UseGstdClustering(this ISiloBuilder silo)
    {
        silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((o, dataSource) =>
        {
            o.Invariant = AdoNetInvariant;
            o.DataSource = dataSource;
        }));
        return silo;
    }

    /// <summary>The whole silo of the executable: cluster identity, endpoints and providers.</summary>
    public static ISiloBuilder ConfigureGstdSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans["ClusterId"] ?? "gstd";
            o.ServiceId = orleans["ServiceId"] ?? "gstd";
        });
        silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
        silo.Configure<SiloMessagingOptions>(orleans.GetSection("Messaging"));
        silo.ConfigureEndpoints(
            IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1"),
            orleans.GetValue("SiloPort", 11111),
            // The gateway is co-hosted and talks to grains in-process: no Orleans client port is opened unless asked for.
            orleans.GetValue("GatewayPort", 0),
            listenOnAnyHostAddress: orleans.GetValue("ListenOnAnyHostAddress", false));
        silo.UseGstdClustering();
        silo.UseGstdStorage();
        silo.UseGstdScheduling();
        return silo;
    }

    /// <summary>Starts the deadline sweepers and the sentinel with the silo, and keeps them running (<see cref="SchedulingKeeper"/>).</summary>
    public static ISiloBuilder UseGstdScheduling(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<SchedulingKeeper>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SchedulingKeeper>());
        return silo;
    }

    private static void ConfigureGrainStorage(OptionsBuilder<AdoNetGrainStorageOptions> options) =>
        options.Configure<NpgsqlDataSource>((o, dataSource) =>
        {
            o.Invariant = AdoNetInvariant;
            o.DataSource = dataSource;
            o.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(
                Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        });
}
