using Gstd.Grains.Accounts;
using Gstd.Grains.Ledger;
using Gstd.Identity;
using Gstd.Silo.Hosting;
using Gstd.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Gstd.StorageTests.Accounts;

public sealed class AdminBootstrapTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task The_configured_key_opens_the_admin_account_and_a_new_one_replaces_it()
    {
        var first = ApiKey.Generate();
        var second = ApiKey.Generate();
        await BootstrapAsync(first.Key);
        await BootstrapAsync(first.Key);
        Assert.Equal((false, true), await KeyStateAsync(first.Prefix));

        await BootstrapAsync(second.Key);
        Assert.Equal((true, true), await KeyStateAsync(first.Prefix));
        Assert.Equal((false, true), await KeyStateAsync(second.Prefix));

        await using var connection = await _db.DataSource.OpenConnectionAsync();
        var admin = await AccountStore.GetAccountAsync(connection, AdminBootstrap.AdminAccountId, default);
        Assert.Equal(AccountRoles.Admin, admin!.Roles);
    }

    [Fact]
    public async Task A_malformed_admin_key_stops_the_start()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => BootstrapAsync("not-a-key"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Development_generates_one_key_into_a_file_only_its_owner_can_read()
    {
        var folder = Directory.CreateTempSubdirectory("gstd-admin-");
        try
        {
            var path = Path.Combine(folder.FullName, "keys", "admin.key");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gstd:AdminKeyFile"] = path }).Build();
            var development = new Environment(Environments.Development, folder.FullName);

            var key = AdminKeySource.Resolve(configuration, development);
            Assert.True(ApiKey.TryGetPrefix(key, out _));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(key, AdminKeySource.Resolve(configuration, development));

            Assert.Null(AdminKeySource.Resolve(new ConfigurationBuilder().Build(), new Environment(Environments.Production, folder.FullName)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task BootstrapAsync(string key)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await AdminBootstrap.EnsureAdminAsync(connection, new LedgerStore(TimeProvider.System), key, TimeProvider.System, default);
    }

    private async Task<(bool Revoked, bool Exists)> KeyStateAsync(string prefix)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        var key = await AccountStore.FindKeyAsync(connection, prefix, default);
        return (key?.Revoked ?? false, key is not null);
    }

    private sealed class Environment(string name, string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Gstd.Silo";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
