using System.Text;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// A client following its account over real silos while tasks run on a real agent — its connection cut again
/// and again, or its silo stopped under it: every event reaches it once and in order, with nothing to re-read.
/// </summary>
public sealed class RealtimeTests : IAsyncLifetime
{
    private const int Tasks = 100;
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-realtime-").FullName;
    private readonly string _clusterId = "rt-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<SiloProcess> _silos = [];
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        await StartSiloAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Every_account_event_arrives_once_in_order_through_twenty_connection_cuts()
    {
        var silo = _silos[0];
        var (client, clientId, key, module) = await ClientAsync(silo);
        await using var agent = await AgentAsync(silo);
        await using var connection = await ConnectAsync([silo.BaseAddress], key);

        var submitting = SubmitAsync(client, module);
        var random = new Random(7);
        for (var cut = 0; cut < 20; cut++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 600)));
            connection.Interrupt();
        }

        await submitting;
        await AssertEveryEventOnceInOrderAsync(connection, clientId);
    }

    [Fact]
    public async Task Every_account_event_arrives_once_in_order_when_the_silo_under_the_client_stops()
    {
        var leaving = _silos[0];
        var staying = await StartSiloAsync();
        var (client, clientId, key, module) = await ClientAsync(staying);
        await using var agent = await AgentAsync(staying);
        // The client's connection is on the silo that will leave; the other one is its next server.
        await using var connection = await ConnectAsync([leaving.BaseAddress, staying.BaseAddress], key);

        var submitting = SubmitAsync(client, module);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await leaving.StopAsync(TimeSpan.FromSeconds(60));

        await submitting;
        await AssertEveryEventOnceInOrderAsync(connection, clientId);
    }

    private async Task<SiloProcess> StartSiloAsync()
    {
        var silo = new SiloProcess(_db.ConnectionString, _clusterId,
            new Dictionary<string, string> { ["Gstd:SelfServiceWorkers"] = "true", ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key") },
            environment: "Development");
        _silos.Add(silo);
        silo.Start();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return silo;
    }

    private static async Task<(GstdClient Client, string Id, string Key, string Module)> ClientAsync(SiloProcess silo)
    {
        using var anonymous = new GstdClient(silo.BaseAddress);
        var account = await anonymous.SignUpAsync("watcher", "client");
        var key = account.GetProperty("apiKey").GetString()!;
        var client = new GstdClient(silo.BaseAddress, key);
        await client.DepositAsync("100");
        return (client, account.GetProperty("id").GetString()!, key, await client.UploadModuleAsync(TestModules.Wasm("echo")));
    }

    private async Task<WorkerProcess> AgentAsync(SiloProcess silo)
    {
        using var anonymous = new GstdClient(silo.BaseAddress);
        var operatorKey = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        var agent = new WorkerProcess(silo.BaseAddress, operatorKey, "agent", 4, _keys);
        agent.Start();
        return agent;
    }

    private static async Task<RealtimeConnection> ConnectAsync(IReadOnlyList<Uri> servers, string key)
    {
        var connection = new RealtimeConnection(servers, key, ["account"]);
        connection.Start();
        await Eventually.Until(() => Task.FromResult(connection.State), state => state == ConnectionState.Connected, TimeSpan.FromSeconds(30), "the connection");
        return connection;
    }

    private static Task SubmitAsync(GstdClient client, string module) => Task.Run(async () =>
    {
        for (var i = 0; i < Tasks; i++)
        {
            await client.SubmitTaskAsync(module, Encoding.UTF8.GetBytes($"n{i}"), "0.1", new { reviewSeconds = 0 });
        }
    });

    /// <summary>Every settlement is followed live, and everything the topic holds up to the last one arrives once, in order.</summary>
    private async Task AssertEveryEventOnceInOrderAsync(RealtimeConnection connection, string clientId)
    {
        var received = new List<RealtimeEvent>();
        await Eventually.Until(() =>
        {
            while (connection.Events.TryRead(out var e))
            {
                received.Add(e);
            }

            return Task.FromResult(received.Count(e => e.Event.GetProperty("kind").GetString() == "task.settled"));
        }, settled => settled == Tasks, TimeSpan.FromSeconds(120), "every task.settled event");
        var first = received[0].Offset;
        Assert.Equal(Enumerable.Range((int)first, received.Count).Select(o => (long)o), received.Select(e => e.Offset));
        Assert.True(await HeadAsync(clientId) >= received[^1].Offset);
        Assert.False(connection.Resyncs.TryRead(out _));
    }

    private async Task<long> HeadAsync(string clientId)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT COALESCE((SELECT head FROM topics WHERE topic = @topic), 0)");
        cmd.Parameters.AddWithValue("topic", "account:" + clientId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
