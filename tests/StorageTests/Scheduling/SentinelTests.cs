using Gstd.Disputes;
using Gstd.Scheduling;
using Gstd.StorageTests.Balancing;
using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Scheduling;

/// <summary>The sentinel finds what is broken, says so on the admin topic, and sees it fixed.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SentinelTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly Market _market = new(fixture.Cluster);

    private IClusterClient Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task An_unbalanced_journal_and_a_task_nothing_would_wake_are_reported_and_announced_until_fixed()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Market.Gstd);
        var task = await _market.SubmitAsync(client, moduleId, inputId, Market.Gstd);
        var transfer = "audit-test:" + Guid.NewGuid().ToString("N");
        await ExecuteAsync("UPDATE tasks SET due_at = NULL WHERE id = @a", task.Id);
        await ExecuteAsync("INSERT INTO ledger_transfers (key, kind, at) VALUES (@a, 'test', now())", transfer);
        await ExecuteAsync("INSERT INTO ledger_entries (transfer_key, account, amount, at) VALUES (@a, 'platform:fees', 7, now())", transfer);
        try
        {
            var broken = await Grains.GetGrain<ISentinelGrain>(0).Audit();
            Assert.False(broken.Healthy);
            Assert.Equal(7, broken.JournalSum);
            Assert.Contains(task.Id, broken.WithoutDeadline);
            await Eventually.Until(() => TopicProbe.EventsAsync(Grains, "admin"), e => e.Any(x => x.Kind == "audit.violations" && x.PayloadJson.Contains(task.Id, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the violations on the admin topic");
        }
        finally
        {
            await ExecuteAsync("DELETE FROM ledger_entries WHERE transfer_key = @a", transfer);
            await ExecuteAsync("DELETE FROM ledger_transfers WHERE key = @a", transfer);
        }

        await Grains.GetGrain<ITaskGrain>(task.Id).Cancel(client);
        var fixedUp = await Grains.GetGrain<ISentinelGrain>(0).Audit();
        Assert.Equal(0, fixedUp.JournalSum);
        Assert.DoesNotContain(task.Id, fixedUp.WithoutDeadline);
    }

    [Fact]
    public async Task A_dispute_that_nothing_would_wake_is_reported_until_it_has_a_deadline_again()
    {
        var parties = await Disputes.DisputeParties.CompletedAsync(Grains, _market, "echo:hi"u8.ToArray());
        Assert.Equal(DisputeStatus.AwaitingArbitration, (await parties.OpenAsync(DisputeReason.Other)).Dispute!.Status);

        await ExecuteAsync("UPDATE disputes SET due_at = NULL WHERE id = @a", parties.DisputeId);
        Assert.Contains(parties.DisputeId, (await Grains.GetGrain<ISentinelGrain>(0).Audit()).WithoutDeadline);

        await ExecuteAsync("UPDATE disputes SET due_at = arbitrate_by WHERE id = @a", parties.DisputeId);
        Assert.DoesNotContain(parties.DisputeId, (await Grains.GetGrain<ISentinelGrain>(0).Audit()).WithoutDeadline);
        await parties.Dispute.Decide(new ArbitrationDecision("acc_admin", DisputeOutcome.Release, 10_000, "done"));
        await Eventually.Until(parties.TaskAsync, t => t.Status == TaskState.Settled, TimeSpan.FromSeconds(30), "the task to settle");
        Assert.DoesNotContain(parties.DisputeId, (await Grains.GetGrain<ISentinelGrain>(0).Audit()).WithoutDeadline);
    }

    private async Task ExecuteAsync(string sql, string value)
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("a", value);
        await cmd.ExecuteNonQueryAsync();
    }
}
