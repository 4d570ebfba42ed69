using Gstd.Grains.Storage;
using Gstd.Grains.Workers;
using Gstd.StorageTests.Tasks;
using Gstd.Testing;
using Npgsql;

namespace Gstd.StorageTests.Balancing;

/// <summary>The database's capacity fence under a race: two assignments for a worker's last slot.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CapacityFenceTests(ClusterFixture fixture) : IAsyncLifetime
{
    private const long Gstd = 1_000_000_000;
    private readonly Market _market = new(fixture.Cluster);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task The_second_of_two_assignments_racing_for_the_last_slot_waits_for_the_first_and_sees_its_lease()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Gstd);
        var agent = await _market.AgentAsync(capacity: 2);
        var held = await _market.SubmitAsync(client, moduleId, inputId, Gstd / 2);
        await agent.NextOfferAsync(held.Id);
        var copy = "race-" + Guid.NewGuid().ToString("N");

        await using var first = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var firstTx = await first.BeginTransactionAsync();
        Assert.True(await HasFreeSlotAsync(firstTx, agent.WorkerId));

        // The second assignment blocks on the worker's row until the first commits its lease.
        await using var second = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var secondTx = await second.BeginTransactionAsync();
        var secondDecision = HasFreeSlotAsync(secondTx, agent.WorkerId);
        await Eventually.Until(BlockedAsync, blocked => blocked, TimeSpan.FromSeconds(10), "the second check to wait for the worker's row");

        await using (var lease = new NpgsqlCommand("""
            INSERT INTO tasks (id, client_id, version, status, module_id, input_id, price, fee, escrow_generation, spec, body, due_at, created_at, updated_at)
            SELECT @copy, client_id, version, status, module_id, input_id, price, fee, escrow_generation, spec, body, due_at, created_at, updated_at
            FROM tasks WHERE id = @held
            """, first, firstTx))
        {
            lease.Parameters.AddWithValue("copy", copy);
            lease.Parameters.AddWithValue("held", held.Id);
            Assert.Equal(1, await lease.ExecuteNonQueryAsync());
        }

        await firstTx.CommitAsync();
        Assert.False(await secondDecision);
        await secondTx.RollbackAsync();

        await using var cleanUp = fixture.Database.DataSource.CreateCommand("DELETE FROM tasks WHERE id = @copy");
        cleanUp.Parameters.AddWithValue("copy", copy);
        await cleanUp.ExecuteNonQueryAsync();
    }

    private static async Task<bool> HasFreeSlotAsync(NpgsqlTransaction tx, string workerId)
    {
        var batch = new StatementBatch(tx);
        var fenced = WorkerStore.AddFreeSlotCheck(batch, workerId);
        await batch.ExecuteAsync(CancellationToken.None);
        return fenced();
    }

    /// <summary>Whether some session of this database waits for a lock.</summary>
    private async Task<bool> BlockedAsync()
    {
        await using var cmd = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }
}
