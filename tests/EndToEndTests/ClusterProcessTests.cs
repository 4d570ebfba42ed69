using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Gstd.Identity;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// Real silo processes on one PostgreSQL database: they form a cluster through our clustering schema,
/// survive the SIGKILL of a member, and take a restarted member back.
/// </summary>
public sealed class ClusterProcessTests : IAsyncLifetime
{
    // Failure detection tuned down so a killed silo is declared dead in seconds, not minutes.
    private static readonly Dictionary<string, string> FastMembership = new()
    {
        ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
        ["Orleans:Membership:NumMissedProbesLimit"] = "2",
        ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Orleans:Messaging:ResponseTimeout"] = "00:00:05",
    };

    private readonly string _clusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _adminKey = ApiKey.Generate().Key;
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestPostgres.CreateEmptyDatabaseAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Two_silos_form_a_cluster_survive_a_kill_and_take_a_restarted_silo_back()
    {
        var settings = new Dictionary<string, string>(FastMembership) { ["Gstd:AdminApiKey"] = _adminKey };
        await using var first = new SiloProcess(_db.ConnectionString, _clusterId, settings);
        await using var second = new SiloProcess(_db.ConnectionString, _clusterId, settings);

        // The first silo finds an empty database and migrates it; the second joins.
        first.Start();
        await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        second.Start();
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        await WaitForStatusesAsync(new() { [first.SiloPort] = [Active], [second.SiloPort] = [Active] });

        // Either silo serves any account: created through one, read through the other.
        var key = await SignUpAsync(first);
        await ReadMeAsync(second, key);

        await first.KillAsync();
        await WaitForStatusesAsync(new() { [first.SiloPort] = [Dead], [second.SiloPort] = [Active] });
        await ReadMeAsync(second, key);

        // A silo restarted on the same port joins again as a new generation.
        await using var restarted = new SiloProcess(_db.ConnectionString, _clusterId, settings, first);
        restarted.Start();
        await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        await WaitForStatusesAsync(new() { [first.SiloPort] = [Dead, Active], [second.SiloPort] = [Active] });
        await ReadMeAsync(restarted, key);

        // A graceful stop leaves the cluster cleanly.
        await restarted.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(restarted.ExitCode == 0, $"exit code {restarted.ExitCode}: {restarted.Output}");
        await WaitForStatusesAsync(new() { [first.SiloPort] = [Dead, Dead], [second.SiloPort] = [Active] });
    }

    [Fact]
    public async Task A_socket_hears_pings_and_is_told_to_reconnect_elsewhere_when_its_silo_stops()
    {
        var settings = new Dictionary<string, string>(FastMembership) { ["Gstd:AdminApiKey"] = _adminKey, ["Gstd:PingSeconds"] = "1" };
        await using var silo = new SiloProcess(_db.ConnectionString, _clusterId, settings);
        silo.Start();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var key = await SignUpAsync(silo);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{silo.HttpPort}/ws"), default);
        Assert.Equal("challenge", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        Assert.Equal("ping", (await ReceiveAsync(socket)).GetProperty("type").GetString());

        // A graceful stop closes the socket with 1001 "going away" before Orleans stops.
        await silo.StopAsync(TimeSpan.FromSeconds(60));
        while (socket.State == WebSocketState.Open)
        {
            await ReceiveAsync(socket);
        }

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        Assert.True(silo.ExitCode == 0, $"exit code {silo.ExitCode}: {silo.Output}");
    }

    /// <summary>The next text frame as JSON; a default element once the server has closed.</summary>
    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1 << 16];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return result.MessageType == WebSocketMessageType.Close ? default : JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    [Fact]
    public async Task The_migrate_command_prepares_an_empty_database_without_starting_a_silo()
    {
        var (exitCode, output) = await SiloProcess.MigrateAsync(_db.ConnectionString, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, output);
        await using var cmd = _db.DataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM schema_migrations), (SELECT count(*) FROM orleans_membership), (SELECT count(*) FROM orleansquery)");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetInt64(0) >= 2);
        Assert.Equal(0, reader.GetInt64(1));
        Assert.Equal(20, reader.GetInt64(2));

        var again = await SiloProcess.MigrateAsync(_db.ConnectionString, TimeSpan.FromSeconds(60));
        Assert.Equal(0, again.ExitCode);
    }

    private const int Active = 3;
    private const int Dead = 6;

    /// <summary>Waits until each silo port's rows (by generation) have exactly the given statuses.</summary>
    private async Task WaitForStatusesAsync(Dictionary<int, int[]> expected)
    {
        await Eventually.Until(async () =>
        {
            await using var cmd = _db.DataSource.CreateCommand(
                "SELECT port, status FROM orleans_membership WHERE deploymentid = @cluster ORDER BY port, generation");
            cmd.Parameters.AddWithValue("cluster", _clusterId);
            var rows = new Dictionary<int, List<int>>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.TryAdd(reader.GetInt32(0), []);
                rows[reader.GetInt32(0)].Add(reader.GetInt32(1));
            }

            return string.Join("; ", rows.OrderBy(r => r.Key).Select(r => $"{r.Key}: {string.Join(",", r.Value)}"));
        }, seen => seen == string.Join("; ", expected.OrderBy(e => e.Key).Select(e => $"{e.Key}: {string.Join(",", e.Value)}")),
        TimeSpan.FromSeconds(90), "the membership table to show " + string.Join("; ", expected.Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
    }

    private static async Task<string> SignUpAsync(SiloProcess silo)
    {
        using var http = silo.CreateClient();
        var response = await http.PostAsJsonAsync("/api/accounts", new { name = "e2e", roles = new[] { "client" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    private static async Task ReadMeAsync(SiloProcess silo, string key)
    {
        using var http = silo.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await http.GetAsync(new Uri("/api/accounts/me", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
