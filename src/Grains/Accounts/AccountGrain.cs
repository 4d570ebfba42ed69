using Gstd.Accounts;
using Gstd.Grains.Ledger;
using Gstd.Grains.Storage;
using Gstd.Identity;
using Gstd.Ledger;
using Gstd.Workers;
using Npgsql;

namespace Gstd.Grains.Accounts;

/// <summary>One account: the single writer of its row and keys, and its window onto the ledger.</summary>
public sealed class AccountGrain(NpgsqlDataSource dataSource, Postgres db, LedgerStore ledger, TimeProvider time) : Grain, IAccountGrain
{
    private AccountRecord? _account;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _account = await AccountStore.GetAccountAsync(connection, Id, cancellationToken);
    }

    public async Task<CreatedAccount?> Create(NewAccount request)
    {
        if (_account is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var workerRole = request.Roles.HasFlag(AccountRoles.Worker)
            ? request.SelfServiceWorkers ? WorkerRoleStatus.Active : WorkerRoleStatus.PendingApproval
            : (WorkerRoleStatus?)null;
        var account = new AccountRecord(Id, request.Name, request.Roles, workerRole, now);
        var (view, hash, secret) = NewKey(KeyScope.Full, now);

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        if (!await AccountStore.InsertAccountAsync(tx, account, CancellationToken.None))
        {
            return null;
        }

        await ledger.OpenUserAccountAsync(tx, Id, CancellationToken.None);
        await AccountStore.InsertKeyAsync(connection, tx, Id, view, hash, CancellationToken.None);
        await tx.CommitAsync();

        _account = account;
        return new CreatedAccount(ToView(account, new Balance(0, 0)), new CreatedApiKey(view, secret));
    }

    public async Task<AccountView?> Get()
    {
        if (_account is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        var balance = await ledger.GetBalanceAsync(connection, Id, CancellationToken.None) ?? new Balance(0, 0);
        return ToView(_account, balance);
    }

    public async Task<IReadOnlyList<ApiKeyView>?> ListKeys()
    {
        if (_account is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        return await AccountStore.ListKeysAsync(connection, Id, CancellationToken.None);
    }

    public async Task<CreatedApiKey?> CreateKey(KeyScope scope)
    {
        if (_account is null)
        {
            return null;
        }

        var (view, hash, secret) = NewKey(scope, time.GetUtcNow());
        await using var connection = await dataSource.OpenConnectionAsync();
        await AccountStore.InsertKeyAsync(connection, null, Id, view, hash, CancellationToken.None);
        return new CreatedApiKey(view, secret);
    }

    public async Task<bool> RevokeKey(string keyId)
    {
        if (_account is null)
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        var prefix = await AccountStore.RevokeKeyAsync(connection, Id, keyId, time.GetUtcNow(), CancellationToken.None);
        if (prefix is null)
        {
            return false;
        }

        await GrainFactory.GetGrain<IApiKeyGrain>(prefix).Invalidate();
        await GrainFactory.GetGrain<IRevocationsGrain>(0).Record(new Revocation(Id, keyId));
        return true;
    }

    public async Task<DateTimeOffset?> Disable()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var disabledAt = await AccountStore.DisableAsync(connection, Id, time.GetUtcNow(), CancellationToken.None);
        if (disabledAt is null)
        {
            return null;
        }

        // Keys first, so nothing new starts; then the sockets everywhere; then the workers hand their leases back.
        await InvalidateKeysAsync(connection);
        await GrainFactory.GetGrain<IRevocationsGrain>(0).Record(new Revocation(Id, null));
        foreach (var worker in await GrainFactory.GetGrain<IWorkerListGrain>(Id).List())
        {
            await GrainFactory.GetGrain<IWorkerGrain>(worker.Id).Retire();
        }

        return disabledAt;
    }

    public async Task<bool> IsKeyActive(string keyId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await AccountStore.IsKeyActiveAsync(connection, Id, keyId, CancellationToken.None);
    }

    public async Task<AccountView?> ApproveWorker()
    {
        if (_account is null)
        {
            return null;
        }

        if (_account.WorkerRole == WorkerRoleStatus.PendingApproval)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await AccountStore.SetWorkerRoleAsync(connection, Id, WorkerRoleStatus.Active, CancellationToken.None);
            _account = _account with { WorkerRole = WorkerRoleStatus.Active };
            await InvalidateKeysAsync(connection);
        }

        return await Get();
    }

    public async Task<DepositResult> Deposit(long amount, string reference)
    {
        if (_account is null)
        {
            return new DepositResult(DepositStatus.AccountNotFound, null);
        }

        // Through Postgres, so that the commit wakes the reader of the balance event's partition.
        var result = await db.WriteAsync(async (tx, ct) =>
        {
            var transfer = await ledger.DepositAsync(tx, Id, amount, reference, ct);
            if (transfer.Status == TransferStatus.Applied)
            {
                await BalanceEvents.AppendAsync(tx, ledger, Id, amount, "deposit", null, "deposit:" + reference, 1, time.GetUtcNow(), ct);
            }

            return transfer;
        }, transfer => transfer.Status != TransferStatus.BalanceOverflow, CancellationToken.None);
        if (result.Status == TransferStatus.BalanceOverflow)
        {
            // Nothing was written: the balance would pass what the ledger can hold.
            return new DepositResult(DepositStatus.WouldOverflow, null);
        }

        var status = result.Status switch
        {
            TransferStatus.Applied => DepositStatus.Credited,
            TransferStatus.Replayed when result.Lines.Contains(new JournalLine(LedgerAccounts.Available(Id), amount)) => DepositStatus.Replayed,
            TransferStatus.Replayed => DepositStatus.ReferenceConflict,
            _ => throw new InvalidOperationException($"A deposit cannot end as {result.Status}."),
        };
        await using var connection = await dataSource.OpenConnectionAsync();
        return new DepositResult(status, await ledger.GetBalanceAsync(connection, Id, CancellationToken.None));
    }

    public async Task<LedgerPage?> GetLedgerEntries(LedgerQuery query)
    {
        if (_account is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        return await LedgerHistory.GetEntriesAsync(connection, Id, query, CancellationToken.None);
    }

    public async Task<IReadOnlyList<SpendBucket>?> GetSpend(SpendQuery query)
    {
        if (_account is null)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        return await LedgerHistory.GetSpendAsync(connection, Id, query, CancellationToken.None);
    }

    private async Task InvalidateKeysAsync(NpgsqlConnection connection)
    {
        foreach (var prefix in await AccountStore.ListKeyPrefixesAsync(connection, Id, CancellationToken.None))
        {
            await GrainFactory.GetGrain<IApiKeyGrain>(prefix).Invalidate();
        }
    }

    private static (ApiKeyView View, byte[] Hash, string Secret) NewKey(KeyScope scope, DateTimeOffset now)
    {
        var key = ApiKey.Generate();
        return (new ApiKeyView(Ids.New("key"), key.Prefix, scope, now, null), key.Hash, key.Key);
    }

    private static AccountView ToView(AccountRecord account, Balance balance) =>
        new(account.Id, account.Name, account.Roles, account.WorkerRole, balance, account.CreatedAt);
}
