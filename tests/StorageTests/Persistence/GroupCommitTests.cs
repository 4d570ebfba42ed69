using Gstd.Grains.Storage;
using Gstd.Testing;
using Gstd.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gstd.StorageTests.Persistence;

/// <summary>
/// Group commit against a real server: writes that arrive while a group is in flight share the next transaction,
/// in lock order; a group any of whose members fails writes nothing and sends every member to write on its own.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;
    private GroupCommit _group = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        var services = new ServiceCollection().AddLogging().AddGstdCore(_db.ConnectionString);
        // One group in flight at a time, so the writes that arrive behind a blocked one all join the next.
        services.Configure<GroupCommitOptions>(o => o.ConcurrentGroups = 1);
        _services = services.BuildServiceProvider();
        _group = _services.GetRequiredService<GroupCommit>();
        await using var create = _db.DataSource.CreateCommand("""
            CREATE TABLE gate (id integer PRIMARY KEY);
            INSERT INTO gate VALUES (1);
            CREATE TABLE probe (id integer PRIMARY KEY, seq bigserial)
            """);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Writes_arriving_while_a_group_is_in_flight_commit_together_in_lock_order()
    {
        var (first, open) = await BehindBlockedGroupAsync();
        var c = _group.CommitAsync("c", Insert(3));
        var a = _group.CommitAsync("a", Insert(1));
        var b = _group.CommitAsync("b", Insert(2));
        await open();

        Assert.Equal(
            [GroupCommit.Outcome.Committed, GroupCommit.Outcome.Committed, GroupCommit.Outcome.Committed, GroupCommit.Outcome.Committed],
            await Task.WhenAll(first, a, b, c));
        var rows = await RowsAsync();
        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.Id));
        Assert.Single(rows[1..].Select(r => r.Xid).Distinct());
        Assert.NotEqual(rows[0].Xid, rows[1].Xid);
    }

    [Fact]
    public async Task A_member_whose_check_fails_undoes_the_group_and_every_member_writes_alone()
    {
        var (first, open) = await BehindBlockedGroupAsync();
        var kept = _group.CommitAsync("", Insert(1));
        var refused = _group.CommitAsync("", batch =>
        {
            Insert(2)(batch);
            return () => false;
        });
        await open();

        Assert.Equal(GroupCommit.Outcome.Committed, await first);
        Assert.Equal(GroupCommit.Outcome.Declined, await kept);
        Assert.Equal(GroupCommit.Outcome.Declined, await refused);
        Assert.Equal([0], (await RowsAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task A_member_whose_statement_fails_undoes_the_group_and_the_next_group_still_commits()
    {
        var (first, open) = await BehindBlockedGroupAsync();
        var kept = _group.CommitAsync("", Insert(1));
        var duplicate = _group.CommitAsync("", Insert(0));
        await open();

        Assert.Equal(GroupCommit.Outcome.Committed, await first);
        Assert.Equal(GroupCommit.Outcome.Declined, await kept);
        Assert.Equal(GroupCommit.Outcome.Declined, await duplicate);
        Assert.Equal(GroupCommit.Outcome.Committed, await _group.CommitAsync("", Insert(5)));
        Assert.Equal([0, 5], (await RowsAsync()).Select(r => r.Id));
    }

    /// <summary>
    /// Starts a group (inserting row 0) that waits for a lock this test holds, so that what is written next queues
    /// behind it; the function returned lets it go.
    /// </summary>
    private async Task<(Task<GroupCommit.Outcome> First, Func<Task> Open)> BehindBlockedGroupAsync()
    {
        var holder = await _db.DataSource.OpenConnectionAsync();
        var tx = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT id FROM gate FOR UPDATE", holder, tx))
        {
            await hold.ExecuteNonQueryAsync();
        }

        var first = _group.CommitAsync("", batch =>
        {
            batch.Add("SELECT id FROM gate FOR UPDATE");
            return Insert(0)(batch);
        });
        await Eventually.Until(BlockedAsync, blocked => blocked, TimeSpan.FromSeconds(10), "the first group to wait for the gate");
        return (first, async () =>
        {
            await tx.CommitAsync();
            await holder.DisposeAsync();
        });
    }

    private static Func<StatementBatch, Func<bool>> Insert(int id) => batch =>
    {
        var insert = batch.Add("INSERT INTO probe (id) VALUES (@id)");
        insert.Parameters.AddWithValue("id", id);
        return () => insert.RecordsAffected == 1;
    };

    private async Task<List<(int Id, string Xid)>> RowsAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT id, xmin::text FROM probe ORDER BY seq");
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return rows;
    }

    private async Task<bool> BlockedAsync()
    {
        await using var cmd = _db.DataSource.CreateCommand(
            "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }
}
