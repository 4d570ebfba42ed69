using Gstd.Tasks;
using Gstd.Testing;
using Gstd.Workers;

namespace Gstd.StorageTests.Tasks;

/// <summary>
/// The silo under an accepted offer dies before Running is written. On a cluster of its own: the test client may
/// still try the dead silo's gateway once, which must not fall on another test.
/// </summary>
[Collection(AcceptanceFailoverCollection.Name)]
public sealed class AcceptanceFailoverTests(ClusterFixture fixture)
{
    private const long Gstd = 1_000_000_000;

    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task An_acceptance_lost_with_its_silo_is_taken_from_the_workers_next_beat_and_the_run_completes_once()
    {
        var market = new Market(fixture.Cluster);
        var (client, moduleId, inputId) = await market.ClientAsync(10 * Gstd);
        var agent = await market.AgentAsync();
        var task = await market.SubmitAsync(client, moduleId, inputId, Gstd);
        var offer = await agent.NextOfferAsync(task.Id);
        var grain = Grains.GetGrain<ITaskGrain>(task.Id);
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException("The task grain is not active.");

        // Running waits in memory for the result; the silo dies before either is written.
        Assert.True((await grain.AcceptOffer(agent.WorkerId, offer.Lease)).Accepted);
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.GetSiloForAddress(address)!);
        Assert.Equal("Assigned", await StoredStatusAsync(task.Id));
        await fixture.Cluster.StartAdditionalSiloAsync();
        await agent.ConnectAsync();

        // The worker goes on running it: its beat says it accepted, so the lease stays its own.
        await Eventually.Until(() => Market.RideOutAsync(async () => (await grain.Progress(agent.WorkerId, offer.Lease)).Accepted),
            accepted => accepted, TimeSpan.FromSeconds(30), "the beat to be taken");
        Assert.Equal("Running", await StoredStatusAsync(task.Id));
        Assert.Equal(TaskState.Running, (await RideOutAsync(() => grain.Get(client, false)))!.Status);

        Assert.True((await RideOutAsync(() => grain.Complete(agent.Result(offer, "done"u8.ToArray())))).Accepted);
        var completed = (await RideOutAsync(() => grain.Get(client, false)))!;
        Assert.Equal(TaskState.Completed, completed.Status);
        Assert.Equal(AttemptOutcome.Succeeded, completed.Attempts.Single().Outcome);
        await market.CleanUpAsync();
    }

    /// <summary>A repeatable call, made again if it went to the dead silo's gateway.</summary>
    private static async Task<T> RideOutAsync<T>(Func<Task<T>> call) =>
        (await Eventually.Until(() => Market.RideOutAsync(async () => (T?)await call()), r => r is not null, TimeSpan.FromSeconds(30), "a call the dead silo does not break"))!;

    private Task<string?> StoredStatusAsync(string taskId) => StoredTasks.StatusAsync(fixture.Database.DataSource, taskId);
}
