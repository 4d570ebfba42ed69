using Gstd.Content;
using Gstd.Grains.Disputes;
using Gstd.Grains.Tasks;
using Gstd.Grains.Verification;
using Gstd.Silo.Hosting;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Gstd.StorageTests;

/// <summary>
/// Three in-process silos on one PostgreSQL database with our grain-state and reminder schema, shared by
/// the tests of one collection. The in-process cluster always keeps membership in memory, so our
/// clustering statements are tested through the provider directly and with real silo processes.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;

    public TestDatabase Database { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>
    /// Spot checks are off: test agents sign results of the test's choosing. The verification tests turn them on.
    /// </summary>
    protected virtual void ConfigureVerification(VerificationOptions options)
    {
        options.TrustedAfter = 0;
        options.SampleRate = 0;
        options.RunCheck = TimeSpan.FromSeconds(1);
    }

    /// <summary>The clock the silos use when a test moves time forward; the system's otherwise.</summary>
    public virtual ShiftedTime? Clock => null;

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(Silos);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddGstdCore(Database.ConnectionString);
            // A re-execution lost with its silo is noticed within a second instead of a minute.
            host.Services.Configure<DisputeOptions>(o => o.RunCheck = TimeSpan.FromSeconds(1));
            host.Services.Configure<VerificationOptions>(ConfigureVerification);
            // The failover tests kill a silo in the middle of a long platform run (a countdown of billions of steps):
            // the platform's caps are the task maxima here, and their defaults are tested on their own.
            host.Services.Configure<PlatformLimits>(o => (o.PlatformRunMaxFuel, o.PlatformRunMaxSeconds) = (1_000_000_000_000, 3_600));
            // Long enough that a test sees an accepted offer before its Running is written, whatever the machine's pace.
            host.Services.Configure<TaskWriteOptions>(o => o.RunningWriteDelay = TimeSpan.FromSeconds(5));
            if (Clock is not null)
            {
                host.Services.AddSingleton<TimeProvider>(Clock);
            }
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseGstdStorage();
            silo.UseGstdScheduling();
            // Reminder ticks a second apart keep the test short; production keeps Orleans' one-minute floor.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}

/// <summary>Three silos whose clock a test can move forward, for deadlines and backoffs.</summary>
public sealed class ShiftedTimeClusterFixture : ClusterFixture
{
    public override ShiftedTime Clock { get; } = new();
}

[CollectionDefinition(Name)]
public sealed class ShiftedTimeCollection : ICollectionFixture<ShiftedTimeClusterFixture>
{
    public const string Name = "shifted-time";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>Three silos that spot-check every new account's first results, as production does.</summary>
public sealed class VerificationClusterFixture : ClusterFixture
{
    protected override void ConfigureVerification(VerificationOptions options)
    {
        options.TrustedAfter = 3;
        options.SampleRate = 0;
        options.RunCheck = TimeSpan.FromSeconds(1);
    }
}

[CollectionDefinition(Name)]
public sealed class VerificationCollection : ICollectionFixture<VerificationClusterFixture>
{
    public const string Name = "verification";
}

/// <summary>A cluster of its own for tests that kill silos, so no other test loses its grains.</summary>
[CollectionDefinition(Name)]
public sealed class FailoverCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "failover";
}

/// <summary>A cluster for the test that kills the silo under an accepted offer.</summary>
[CollectionDefinition(Name)]
public sealed class AcceptanceFailoverCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "acceptance-failover";
}
