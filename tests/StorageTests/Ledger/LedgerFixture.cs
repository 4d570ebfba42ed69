using Gstd.Grains.Accounts;
using Gstd.Grains.Ledger;
using Gstd.Identity;
using Gstd.Testing;
using Npgsql;

namespace Gstd.StorageTests.Ledger;

/// <summary>A database for ledger tests and helpers to make users and run transfers in transactions.</summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public LedgerStore Ledger { get; } = new(TimeProvider.System);

    public async Task InitializeAsync() => Database = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    public async Task<string> NewUserAsync()
    {
        var id = Ids.New("acc");
        await InTransactionAsync(async tx =>
        {
            await AccountStore.InsertAccountAsync(tx, new AccountRecord(id, "user", AccountRoles.Client, null, DateTimeOffset.UtcNow), default);
            await Ledger.OpenUserAccountAsync(tx, id, default);
            return true;
        });
        return id;
    }

    /// <summary>Runs work in one transaction, committing only when it reports success, as task transitions will.</summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlTransaction, Task<T>> work, Func<T, bool>? commitWhen = null)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(tx);
        if (commitWhen is null || commitWhen(result))
        {
            await tx.CommitAsync();
        }
        else
        {
            await tx.RollbackAsync();
        }

        return result;
    }

    public Task<TransferResult> TransferAsync(Func<NpgsqlTransaction, Task<TransferResult>> transfer) =>
        InTransactionAsync(transfer, r => r.Succeeded);

    public async Task<long> AvailableAsync(string userId)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return (await Ledger.GetBalanceAsync(connection, userId, default))!.Available;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Database.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }
}
