using System.Text;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// A client following its account over real silos while 500 tasks run on a real agent — its connection cut again
/// and again, or its silo stopped under it: every event reaches it once and in order, with nothing to re-read;
/// or its silo killed: every event, or a resync after which re-reading shows every task settled.
/// </summary>
public sealed class RealtimeTests : IAsyncLifetime
{
    private const int Tasks = 500;
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
        await using var agent = await AgentAsync([silo.BaseAddress]);
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
        // The client's connection and the agent are on the silo that will leave; the other one is their next server.
        await using var agent = await AgentAsync([leaving.BaseAddress, staying.BaseAddress]);
        await using var connection = await ConnectAsync([leaving.BaseAddress, staying.BaseAddress], key);

        var submitting = SubmitAsync(client, module);
        var received = await UntilEventsAsync(connection, 50);
        await leaving.StopAsync(TimeSpan.FromSeconds(60));

        await submitting;
        await AssertEveryEventOnceInOrderAsync(connection, clientId, received);
    }

    [Fact]
    public async Task A_client_whose_silo_is_killed_gets_every_event_or_a_resync_after_which_every_task_reads_settled()
    {
        var dying = _silos[0];
        var staying = await StartSiloAsync();
        var (client, _, key, module) = await ClientAsync(staying);
        await using var agent = await AgentAsync([dying.BaseAddress, staying.BaseAddress]);
        await using var connection = await ConnectAsync([dying.BaseAddress, staying.BaseAddress], key);

        var submitting = SubmitAsync(client, module);
        var received = await UntilEventsAsync(connection, 50);
        await dying.KillAsync();
        var tasks = await submitting;

        // Either the topic survived (its grain lived on the other silo) and every settlement arrives, or the
        // client is told to re-read — and what it reads is every task settled, the agent having worked on.
        var resynced = false;
        await Eventually.Until(async () =>
        {
            while (connection.Events.TryRead(out var e))
            {
                received.Add(e);
            }

            resynced |= connection.Resyncs.TryRead(out _);
            if (!resynced)
            {
                return received.Count(e => e.Event.GetProperty("kind").GetString() == "task.settled") == Tasks;
            }

            var settled = (await client.ListTasksAsync("Settled")).Select(t => t.GetProperty("id").GetString()).ToHashSet();
            return tasks.All(settled.Contains);
        }, TimeSpan.FromSeconds(240), "every task settled, told live or read after a resync");

        // Offsets never skip or repeat unless the client was told to re-read: a resync moves it past what the
        // history no longer holds (the same epoch, further on) or into a new epoch.
        foreach (var (before, after) in received.Zip(received.Skip(1)))
        {
            Assert.True((after.Epoch == before.Epoch && after.Offset == before.Offset + 1) || resynced, $"{before.Epoch}/{before.Offset} then {after.Epoch}/{after.Offset}");
        }

        Assert.Equal(received.Count, received.DistinctBy(e => (e.Epoch, e.Offset)).Count());
    }

    [Fact]
    public async Task An_agent_whose_silo_is_killed_mid_task_reconnects_and_its_work_settles_the_task()
    {
        var dying = _silos[0];
        var staying = await StartSiloAsync();
        var (client, _, _, _) = await ClientAsync(staying);
        var countdown = await client.UploadModuleAsync(TestModules.Wasm("countdown"));
        await using var agent = await AgentAsync([dying.BaseAddress, staying.BaseAddress], capacity: 1);
        var taskId = (await client.SubmitTaskAsync(countdown, BitConverter.GetBytes(3_000_000_000L), "0.5",
            new { reviewSeconds = 0, maxFuel = 200_000_000_000L, timeoutSeconds = 120 })).GetProperty("id").GetString()!;
        await Eventually.Until(() => client.GetTaskAsync(taskId), t => t.GetProperty("status").GetString() == "Running", TimeSpan.FromSeconds(60), "the task to run");

        await dying.KillAsync();

        // Reads in the seconds before the cluster declares the killed silo dead may fail; a client reads again.
        var task = await Eventually.Until(async () =>
        {
            try
            {
                return await client.GetTaskAsync(taskId);
            }
            catch (GstdApiException e) when (e.Status >= System.Net.HttpStatusCode.InternalServerError)
            {
                return default;
            }
        }, t => t.ValueKind == System.Text.Json.JsonValueKind.Object && t.GetProperty("status").GetString() is "Settled" or "DeadLettered",
            TimeSpan.FromSeconds(180), "the task to end");
        Assert.Equal("Settled", task.GetProperty("status").GetString());
        // Usually it keeps its lease (one attempt); when the worker's own grain died with the silo and the agent
        // came back after the 3-second grace, the lease was lost once and the same agent ran it again.
        var attempts = task.GetProperty("attempts").EnumerateArray().ToList();
        Assert.InRange(attempts.Count, 1, 2);
        Assert.Equal("Succeeded", attempts[^1].GetProperty("outcome").GetString());
        Assert.All(attempts, a => Assert.Equal(attempts[0].GetProperty("workerId").GetString(), a.GetProperty("workerId").GetString()));
    }

    private async Task<SiloProcess> StartSiloAsync()
    {
        var silo = new SiloProcess(_db.ConnectionString, _clusterId,
            new Dictionary<string, string>
            {
                ["Gstd:SelfServiceWorkers"] = "true",
                ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key"),
                // One client submits 500 tasks and re-reads them while it waits: more than the default per minute.
                ["Gstd:RequestsPerMinute"] = "100000",
            },
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

    private async Task<WorkerProcess> AgentAsync(IReadOnlyList<Uri> servers, int capacity = 4)
    {
        using var anonymous = new GstdClient(servers[^1]);
        var operatorKey = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        var agent = new WorkerProcess(servers, operatorKey, "agent", capacity, _keys);
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

    /// <summary>Submits the tasks one after another, each under its own idempotency key so a retry after a silo died is safe.</summary>
    private static Task<List<string>> SubmitAsync(GstdClient client, string module) => Task.Run(async () =>
    {
        var ids = new List<string>();
        for (var i = 0; i < Tasks; i++)
        {
            var idempotencyKey = Guid.NewGuid().ToString("N");
            var task = await Eventually.Until(async () =>
            {
                try
                {
                    return await client.SubmitTaskAsync(module, Encoding.UTF8.GetBytes($"n{i}"), "0.02", new { reviewSeconds = 0 }, idempotencyKey);
                }
                catch (Exception e) when (e is HttpRequestException or GstdApiException { Status: >= System.Net.HttpStatusCode.InternalServerError })
                {
                    return default;
                }
            }, t => t.ValueKind == System.Text.Json.JsonValueKind.Object, TimeSpan.FromSeconds(60), "a submission to go through");
            ids.Add(task.GetProperty("id").GetString()!);
        }

        return ids;
    });

    /// <summary>Reads events until at least <paramref name="count"/> arrived, so a fault strikes mid-stream; answers them.</summary>
    private static async Task<List<RealtimeEvent>> UntilEventsAsync(RealtimeConnection connection, int count)
    {
        var received = new List<RealtimeEvent>();
        await Eventually.Until(() =>
        {
            while (connection.Events.TryRead(out var e))
            {
                received.Add(e);
            }

            return Task.FromResult(received.Count >= count);
        }, TimeSpan.FromSeconds(60), $"{count} events");
        return received;
    }

    /// <summary>Every settlement is followed live, and everything the topic holds up to the last one arrives once, in order.</summary>
    private async Task AssertEveryEventOnceInOrderAsync(RealtimeConnection connection, string clientId, List<RealtimeEvent>? earlier = null)
    {
        var received = earlier ?? [];
        await Eventually.Until(async () =>
        {
            while (connection.Events.TryRead(out var e))
            {
                received.Add(e);
            }

            // What the database holds beside what arrived, so a failure tells work that stopped from events lost.
            return new Progress(received.Count(e => e.Event.GetProperty("kind").GetString() == "task.settled"), await SettledAsync(clientId),
                received.Count == 0 ? 0 : received[^1].Offset, await HeadAsync(clientId));
        }, progress => progress.SettledEvents == Tasks, TimeSpan.FromSeconds(180), "every task.settled event");
        var first = received[0].Offset;
        Assert.Equal(Enumerable.Range((int)first, received.Count).Select(o => (long)o), received.Select(e => e.Offset));
        Assert.True(await HeadAsync(clientId) >= received[^1].Offset);
        Assert.False(connection.Resyncs.TryRead(out _));
    }

    private async Task<long> SettledAsync(string clientId)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT count(*) FROM tasks WHERE client_id = @client AND status = 'Settled'");
        cmd.Parameters.AddWithValue("client", clientId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private sealed record Progress(int SettledEvents, long SettledInDatabase, long LastOffset, long Head);

    private async Task<long> HeadAsync(string clientId)
    {
        await using var cmd = _db.DataSource.CreateCommand("SELECT COALESCE((SELECT head FROM topics WHERE topic = @topic), 0)");
        cmd.Parameters.AddWithValue("topic", "account:" + clientId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
