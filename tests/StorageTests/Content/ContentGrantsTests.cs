using Gstd.Accounts;
using Gstd.Content;
using Gstd.Grains.Accounts;
using Gstd.Grains.Content;
using Gstd.Identity;
using Gstd.Silo.Hosting;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.StorageTests.Content;

/// <summary>The silo's memory of grants: a grant found is kept, a refusal is asked again (the upload may follow it).</summary>
public sealed class ContentGrantsTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _services = new ServiceCollection().AddLogging().AddGstdCore(_db.ConnectionString).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_refusal_is_asked_again_and_a_grant_once_found_is_answered_from_memory()
    {
        var grants = _services.GetRequiredService<ContentGrants>();
        var account = Ids.New("acc");
        await using (var connection = await _db.DataSource.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await AccountStore.InsertAccountAsync(tx, new AccountRecord(account, "client", AccountRoles.Client, null, DateTimeOffset.UtcNow), default);
            await tx.CommitAsync();
        }

        var module = TestModules.Wasm("echo");
        var id = ContentId.Of(module);
        Assert.False(await grants.IsGrantedAsync(id, ContentKind.Module, account, default));

        Assert.Equal(UploadStatus.Created, await ContentStore.UploadAsync(_db.DataSource, id, module, ContentKind.Module, account, long.MaxValue, DateTimeOffset.UtcNow, default));
        Assert.True(await grants.IsGrantedAsync(id, ContentKind.Module, account, default));
        Assert.False(await grants.IsGrantedAsync(id, ContentKind.Blob, account, default));

        // With the database gone, only what was found is still known.
        await _db.DisposeAsync();
        Assert.True(await grants.IsGrantedAsync(id, ContentKind.Module, account, default));
        await Assert.ThrowsAnyAsync<Exception>(() => grants.IsGrantedAsync(id, ContentKind.Blob, account, default));
    }
}
