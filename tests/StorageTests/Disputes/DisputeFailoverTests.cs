using Gstd.Disputes;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Disputes;

/// <summary>A dispute's silo dies in the middle of its automatic review.</summary>
[Collection(FailoverCollection.Name)]
public sealed class DisputeFailoverTests(ClusterFixture fixture)
{
    private IClusterClient Grains => fixture.Cluster.Client;

    [Fact]
    public async Task A_review_whose_silo_is_killed_mid_run_runs_again_elsewhere_and_pays_out_once()
    {
        var market = new Market(fixture.Cluster);
        // A countdown long enough that the platform's run is still going when its silo dies.
        var parties = await DisputeParties.CompletedAsync(Grains, market, "done"u8.ToArray(), module: "countdown",
            input: BitConverter.GetBytes(4_000_000_000L),
            spec: TaskSpec.Default with { MaxFuel = 1_000_000_000_000, TimeoutSeconds = 120, ReviewSeconds = 3_600 });

        var opened = await parties.OpenAsync(DisputeReason.WrongOutput);
        Assert.Equal(DisputeStatus.AutoReviewing, opened.Dispute!.Status);
        Assert.Empty(opened.Dispute.Evidence.Reexecutions);
        var address = await Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(parties.Dispute)
            ?? throw new InvalidOperationException("The dispute is not active anywhere.");
        var killedAt = DateTimeOffset.UtcNow;
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.GetSiloForAddress(address)!);
        await fixture.Cluster.StartAdditionalSiloAsync();

        var resolved = await Eventually.Until(() => Market.RideOutAsync(() => parties.Dispute.Get(parties.Client, false)),
            d => d is { Status: DisputeStatus.Resolved }, TimeSpan.FromSeconds(120), "the review to finish on another silo");
        Assert.Equal(DisputeOutcome.Release, resolved!.Outcome);
        var run = Assert.Single(resolved.Evidence.Reexecutions);
        Assert.Equal("done"u8.ToArray(), run.Preview);
        // The run that counted started after the kill: the one in flight died with its silo and was run again.
        var started = run.At - TimeSpan.FromMilliseconds(run.DurationMs);
        Assert.True(started > killedAt, $"The recorded run ({run.DurationMs} ms) started at {started:O}, before the kill at {killedAt:O}.");

        await Eventually.Until(() => Market.RideOutAsync(parties.TaskAsync), t => t?.Status == TaskState.Settled, TimeSpan.FromSeconds(60), "the task to settle");
        Assert.Equal(DisputeParties.Gstd, await parties.AvailableAsync(parties.Agent.AccountId));
        await using var transfers = fixture.Database.DataSource.CreateCommand("SELECT count(*) FROM ledger_transfers WHERE task_id = @t AND kind IN ('decision', 'release', 'refund')");
        transfers.Parameters.AddWithValue("t", parties.Task.Id);
        Assert.Equal(1L, await transfers.ExecuteScalarAsync());
        await market.CleanUpAsync();
    }
}
