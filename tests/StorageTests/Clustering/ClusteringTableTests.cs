using System.Net;
using Gstd.Silo.Hosting;
using Gstd.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace Gstd.StorageTests.Clustering;

/// <summary>Our clustering schema and statements, driven through the real Orleans ADO.NET provider.</summary>
public sealed class ClusteringTableTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N");
    private TestDatabase _db = null!;
    private AdoNetClusteringTable _table = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _table = CreateTable(_db.DataSource, _clusterId);
        await _table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_new_cluster_reads_as_version_zero_with_no_members_and_init_twice_changes_nothing()
    {
        await _table.InitializeMembershipTableAsync(tryInitTableVersion: true, default);
        var data = await _table.ReadAllAsync(default);
        Assert.Equal(0, data.Version.Version);
        Assert.Empty(data.Members);
    }

    [Fact]
    public async Task Insert_needs_the_current_version_and_a_new_silo()
    {
        var first = Entry(1);
        Assert.True(await _table.InsertRowAsync(first, (await _table.ReadAllAsync(default)).Version.Next(), default));

        var stale = new TableVersion(0, "0").Next();
        Assert.False(await _table.InsertRowAsync(Entry(2), stale, default));

        var current = (await _table.ReadAllAsync(default)).Version;
        Assert.False(await _table.InsertRowAsync(first, current.Next(), default));
        var after = await _table.ReadAllAsync(default);
        Assert.Equal(1, after.Version.Version);
        Assert.Single(after.Members);
        var (stored, etag) = after.Members[0];
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal(first.SiloName, stored.SiloName);
        Assert.Equal(first.HostName, stored.HostName);
        Assert.Equal(first.ProxyPort, stored.ProxyPort);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(first.StartTime, stored.StartTime);
        Assert.Equal("1", etag);
    }

    [Fact]
    public async Task Update_needs_the_current_version_and_an_existing_silo()
    {
        var entry = Entry(1);
        await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(default)).Version.Next(), default);
        var data = await _table.ReadAllAsync(default);
        var etag = data.Members[0].Item2;

        entry.Status = SiloStatus.Dead;
        entry.AddOrUpdateSuspector(Entry(2).SiloAddress, Start.AddMinutes(1), 2);
        Assert.True(await _table.UpdateRowAsync(entry, etag, data.Version.Next(), default));
        Assert.False(await _table.UpdateRowAsync(entry, etag, data.Version.Next(), default));

        var missing = Entry(3);
        var current = (await _table.ReadAllAsync(default)).Version;
        Assert.False(await _table.UpdateRowAsync(missing, current.VersionEtag, current.Next(), default));

        var after = await _table.ReadAllAsync(default);
        Assert.Equal(2, after.Version.Version);
        var stored = after.Members.Single().Item1;
        Assert.Equal(SiloStatus.Dead, stored.Status);
        Assert.Single(stored.SuspectTimes ?? []);
    }

    [Fact]
    public async Task Heartbeats_leave_the_version_alone_and_never_go_backwards()
    {
        var entry = Entry(1);
        await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(default)).Version.Next(), default);

        entry.IAmAliveTime = Start.AddMinutes(5);
        await _table.UpdateIAmAliveAsync(entry, default);
        entry.IAmAliveTime = Start.AddMinutes(2);
        await _table.UpdateIAmAliveAsync(entry, default);

        var data = await _table.ReadAllAsync(default);
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(Start.AddMinutes(5), data.Members[0].Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Reading_an_unknown_silo_gives_the_version_only()
    {
        await _table.InsertRowAsync(Entry(1), (await _table.ReadAllAsync(default)).Version.Next(), default);
        var row = await _table.ReadRowAsync(Entry(9).SiloAddress, default);
        Assert.Equal(1, row.Version.Version);
        Assert.Empty(row.Members);

        var known = await _table.ReadRowAsync(Entry(1).SiloAddress, default);
        Assert.Single(known.Members);
    }

    [Fact]
    public async Task Clients_see_only_active_silos_that_have_a_gateway()
    {
        var withGateway = Entry(1);
        var withoutGateway = Entry(2, proxyPort: 0);
        var dead = Entry(3);
        dead.Status = SiloStatus.Dead;
        foreach (var entry in new[] { withGateway, withoutGateway, dead })
        {
            Assert.True(await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(default)).Version.Next(), default));
        }

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = GstdSilo.AdoNetInvariant, DataSource = _db.DataSource }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = _clusterId, ServiceId = "gstd" }));
        await gateways.InitializeGatewayListProvider();
        var uri = Assert.Single(await gateways.GetGateways());
        Assert.Equal(withGateway.ProxyPort, uri.Port);
    }

    [Fact]
    public async Task Cleanup_removes_old_dead_silos_only_and_keeps_the_version()
    {
        var oldDead = Entry(1);
        oldDead.Status = SiloStatus.Dead;
        oldDead.AddOrUpdateSuspector(Entry(5).SiloAddress, Start.AddMinutes(1), 2);
        var oldActive = Entry(2);
        var recentDead = Entry(3, start: Start.AddDays(10));
        recentDead.Status = SiloStatus.Dead;
        foreach (var entry in new[] { oldDead, oldActive, recentDead })
        {
            Assert.True(await _table.InsertRowAsync(entry, (await _table.ReadAllAsync(default)).Version.Next(), default));
        }

        await _table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Start.AddDays(1)), default);

        var data = await _table.ReadAllAsync(default);
        Assert.Equal(3, data.Version.Version);
        Assert.Equal(
            new[] { oldActive.SiloAddress, recentDead.SiloAddress }.OrderBy(a => a.ToString()),
            data.Members.Select(m => m.Item1.SiloAddress).OrderBy(a => a.ToString()));
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_version_row_and_members()
    {
        await _table.InsertRowAsync(Entry(1), (await _table.ReadAllAsync(default)).Version.Next(), default);
        await _table.DeleteMembershipTableEntriesAsync(_clusterId, default);

        await using var cmd = _db.DataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM orleans_membership_version) + (SELECT count(*) FROM orleans_membership)");
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Concurrent_inserts_at_one_version_let_exactly_one_silo_in()
    {
        var version = (await _table.ReadAllAsync(default)).Version.Next();
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => _table.InsertRowAsync(Entry(i), version, default)));
        Assert.Single(results, ok => ok);
        var data = await _table.ReadAllAsync(default);
        Assert.Equal(1, data.Version.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task A_missing_statement_stops_the_provider_at_start()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using (var cmd = db.DataSource.CreateCommand("DELETE FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntriesKey'"))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        var table = CreateTable(db.DataSource, _clusterId);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.InitializeMembershipTableAsync(true, default));
        Assert.Contains("CleanupDefunctSiloEntriesKey", error.Message, StringComparison.Ordinal);
    }

    private static AdoNetClusteringTable CreateTable(NpgsqlDataSource dataSource, string clusterId) =>
        new(new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "gstd" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = GstdSilo.AdoNetInvariant, DataSource = dataSource }),
            NullLogger<AdoNetClusteringTable>.Instance);

    private static MembershipEntry Entry(int n, int proxyPort = 30_000, DateTime? start = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11_000 + n), 1000 + n),
        Status = SiloStatus.Active,
        SiloName = $"silo-{n}",
        HostName = "test-host",
        ProxyPort = proxyPort == 0 ? 0 : proxyPort + n,
        StartTime = start ?? Start,
        IAmAliveTime = start ?? Start,
        SuspectTimes = [],
    };
}
