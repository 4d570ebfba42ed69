using System.Text;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// A client following its account over a real silo while tasks run on a real agent, its connection cut again
/// and again: every event reaches it once and in order, with nothing to re-read.
/// </summary>
public sealed class RealtimeTests : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-realtime-").FullName;
    private TestDatabase _db = null!;
    private SiloProcess _silo = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _silo = new SiloProcess(_db.ConnectionString, "rt-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string> { ["Gstd:SelfServiceWorkers"] = "true", ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key") },
            environment: "Development");
        _silo.Start();
        await _silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Every_account_event_arrives_once_in_order_through_twenty_connection_cuts()
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        var account = await anonymous.SignUpAsync("watcher", "client");
        var key = account.GetProperty("apiKey").GetString()!;
        using var client = new GstdClient(_silo.BaseAddress, key);
        await client.DepositAsync("100");
        var module = await client.UploadModuleAsync(TestModules.Wasm("echo"));
        var operatorKey = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        await using var agent = new WorkerProcess(_silo.BaseAddress, operatorKey, "agent", 4, _keys);
        agent.Start();

        await using var connection = new RealtimeConnection([_silo.BaseAddress], key, ["account"]);
        connection.Start();
        await Eventually.Until(() => Task.FromResult(connection.State), state => state == ConnectionState.Connected, TimeSpan.FromSeconds(30), "the connection");

        const int Tasks = 100;
        var submitting = Task.Run(async () =>
        {
            for (var i = 0; i < Tasks; i++)
            {
                await client.SubmitTaskAsync(module, Encoding.UTF8.GetBytes($"n{i}"), "0.1", new { reviewSeconds = 0 });
            }
        });
        var random = new Random(7);
        for (var cut = 0; cut < 20; cut++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 600)));
            connection.Interrupt();
        }

        await submitting;
        await Eventually.Until(() => SettledAsync(account.GetProperty("id").GetString()!), settled => settled == Tasks, TimeSpan.FromSeconds(120), "every task to settle");

        // Every settlement is followed live, and everything the topic holds up to the last one arrives in order.
        var received = new List<RealtimeEvent>();
        await Eventually.Until(() =>
        {
            while (connection.Events.TryRead(out var e))
            {
                received.Add(e);
            }

            return Task.FromResult(received.Count(e => e.Event.GetProperty("kind").GetString() == "task.settled"));
        }, settled => settled == Tasks, TimeSpan.FromSeconds(60), "every task.settled event");
        var first = received[0].Offset;
        Assert.Equal(Enumerable.Range((int)first, received.Count).Select(o => (long)o), received.Select(e => e.Offset));
        Assert.True(await HeadAsync(account.GetProperty("id").GetString()!) >= received[^1].Offset);
        Assert.False(connection.Resyncs.TryRead(out _));
    }

    private async Task<long> SettledAsync(string clientId)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT count(*) FROM tasks WHERE client_id = @client AND status = 'Settled'");
        cmd.Parameters.AddWithValue("client", clientId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<long> HeadAsync(string clientId)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT COALESCE((SELECT head FROM topics WHERE topic = @topic), 0)");
        cmd.Parameters.AddWithValue("topic", "account:" + clientId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
