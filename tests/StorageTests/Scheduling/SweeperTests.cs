using Gstd.StorageTests.Tasks;
using Gstd.Tasks;
using Gstd.Testing;

namespace Gstd.StorageTests.Scheduling;

/// <summary>The deadline sweepers against rows chosen to break them: none may hold up the deadlines of others.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SweeperTests(ClusterFixture fixture) : IAsyncLifetime
{
    /// <summary>PostgreSQL's <c>hashtext</c> of this id is −2³¹, whose <c>abs</c> in integer overflows (found by search).</summary>
    private const string MinimumHashId = "tsk_hashtextminimumaaaadpizkfj";

    private readonly Market _market = new(fixture.Cluster);

    private IGrainFactory Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _market.CleanUpAsync();

    [Fact]
    public async Task A_due_task_whose_id_hashes_to_the_smallest_integer_expires_and_so_do_the_others()
    {
        await using (var hash = fixture.Database.DataSource.CreateCommand($"SELECT hashtext('{MinimumHashId}')"))
        {
            Assert.Equal(int.MinValue, (int)(await hash.ExecuteScalarAsync())!);
        }

        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Market.Gstd);
        // Nobody has full trust, so both tasks wait until their queue time runs out.
        var spec = TaskSpec.Default with { MinTrust = 1.0, QueueTimeoutSeconds = 1 };
        var hostile = await Grains.GetGrain<ITaskGrain>(MinimumHashId)
            .Submit(new SubmitTask(client, moduleId, inputId, Market.Gstd, spec, [1]));
        Assert.Equal(SubmitStatus.Created, hostile.Status);
        var ordinary = await _market.SubmitAsync(client, moduleId, inputId, Market.Gstd, spec);

        foreach (var id in new[] { MinimumHashId, ordinary.Id })
        {
            await Eventually.Until(() => StoredTasks.StatusAsync(fixture.Database.DataSource, id), s => s == nameof(TaskState.Expired),
                TimeSpan.FromSeconds(20), $"task {id} to expire");
        }
    }

    [Fact]
    public async Task A_row_whose_wake_up_always_fails_does_not_hold_up_the_rows_due_after_it()
    {
        var (client, moduleId, inputId) = await _market.ClientAsync(10 * Market.Gstd);
        // A row its grain cannot read (an unknown status): waking it throws on every try. It is due before anything else.
        var broken = TaskIds.New();
        await using (var insert = fixture.Database.DataSource.CreateCommand("""
            INSERT INTO tasks (id, client_id, version, status, module_id, input_id, price, fee, escrow_generation, spec, body, due_at, created_at, updated_at)
            VALUES (@id, @client, 1, 'Broken', @module, @input, 1, 0, 1, '{}', '{}', '2000-01-01Z', now(), now())
            """))
        {
            insert.Parameters.AddWithValue("id", broken);
            insert.Parameters.AddWithValue("client", client);
            insert.Parameters.AddWithValue("module", moduleId);
            insert.Parameters.AddWithValue("input", inputId);
            await insert.ExecuteNonQueryAsync();
        }

        try
        {
            var task = await _market.SubmitAsync(client, moduleId, inputId, Market.Gstd, TaskSpec.Default with { MinTrust = 1.0, QueueTimeoutSeconds = 1 });
            await Eventually.Until(() => StoredTasks.StatusAsync(fixture.Database.DataSource, task.Id), s => s == nameof(TaskState.Expired),
                TimeSpan.FromSeconds(20), "the task due after the broken row to expire");
        }
        finally
        {
            await using var delete = fixture.Database.DataSource.CreateCommand("DELETE FROM tasks WHERE id = @id");
            delete.Parameters.AddWithValue("id", broken);
            await delete.ExecuteNonQueryAsync();
        }
    }
}
