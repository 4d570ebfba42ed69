using System.Collections.Concurrent;
using Gstd.Content;
using Gstd.Disputes;
using Gstd.Grains.Verification;
using Gstd.Sandbox.Running;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gstd.StorageTests.Verification;

/// <summary>The platform's runner under a flood of long checks from one client.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PlatformRunnerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_flood_of_long_checks_from_one_client_is_capped_and_queued_apart_so_another_clients_check_runs_soon()
    {
        var market = new Market(fixture.Cluster);
        var (honest, echoId, inputId) = await market.ClientAsync(Market.Gstd);
        var (hostile, _, _) = await market.ClientAsync(Market.Gstd);
        var spin = TestModules.Wasm("infinite-loop");
        var spinId = ContentId.Of(spin);
        await fixture.Cluster.Client.GetGrain<IContentGrain>(spinId).Upload(ContentKind.Module, hostile, spin);

        var limits = new PlatformLimits { PlatformRunMaxSeconds = 1, PlatformRunsQueuedPerClient = 6 };
        using var sandbox = new SandboxRunner(new WasmEngine(), threads: 1);
        await using var runner = new PlatformRunner(sandbox, fixture.Database.DataSource, Options.Create(limits), TimeProvider.System,
            NullLogger<PlatformRunner>.Instance);
        // The longest task a client may ask for: an hour and 10^12 fuel each.
        var longest = TaskSpec.Default with { TimeoutSeconds = 3_600, MaxFuel = 1_000_000_000_000 };
        var delivered = new ConcurrentQueue<(string Who, ExecutionReport? Report)>();
        var hostileDone = 0;
        for (var i = 0; i < 20; i++)
        {
            runner.Start(1, hostile, TaskIds.New(), spinId, inputId, longest, report =>
            {
                delivered.Enqueue(("hostile", report));
                if (report is not null)
                {
                    Interlocked.Increment(ref hostileDone);
                }

                return Task.CompletedTask;
            });
        }

        // Past its share the flood is refused at once (the tasks try again at their next deadline).
        await Eventually.Until(() => Task.FromResult(delivered.Count(d => d.Report is null)), n => n >= 20 - limits.PlatformRunsQueuedPerClient - 1,
            TimeSpan.FromSeconds(5), "the runs past the client's share to be refused");

        var honestReport = new TaskCompletionSource<ExecutionReport?>(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Start(1, honest, TaskIds.New(), echoId, inputId, TaskSpec.Default, report =>
        {
            honestReport.SetResult(report);
            return Task.CompletedTask;
        });
        var report = await honestReport.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Succeeded", report?.Outcome);
        // It waited for the run in progress and at most one more of the flood's turns, not for the whole flood.
        Assert.InRange(Volatile.Read(ref hostileDone), 0, 2);
        await Eventually.Until(() => Task.FromResult(Volatile.Read(ref hostileDone)), n => n >= 3, TimeSpan.FromSeconds(30), "the flood to go on");
        var capped = delivered.Where(d => d.Report is not null).Select(d => d.Report!).ToList();
        // Each run of the flood stopped at the platform's one-second cap, not at the hour the task asked for.
        Assert.All(capped, r => Assert.Equal("TimedOut", r.Outcome));
        Assert.All(capped, r => Assert.InRange(r.DurationMs, 500, 5_000));
    }
}
