using System.Text;
using Gstd.Client;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// The whole product on real processes: a silo, worker agent processes running the sandbox, and a client
/// using the .NET SDK. Money is checked to the nano.
/// </summary>
public sealed class TaskFlowTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private SiloProcess _silo = null!;
    private readonly List<WorkerProcess> _agents = [];
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-agent-keys-").FullName;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _silo = new SiloProcess(_db.ConnectionString, "flow-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string> { ["Gstd:SelfServiceWorkers"] = "true", ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key") },
            environment: "Development");
        _silo.Start();
        await _silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await _silo.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Fifty_tasks_run_on_two_agents_and_settle_with_exact_balances()
    {
        var (client, moduleId) = await ClientAsync("100", "echo");
        var workerKey = await WorkerAccountAsync();
        StartAgent(workerKey, "amsterdam", 2, 52.37, 4.90);
        StartAgent(workerKey, "singapore", 2);

        var tasks = new List<(string Id, string Expected)>();
        for (var i = 0; i < 50; i++)
        {
            var task = await client.SubmitTaskAsync(moduleId, Encoding.UTF8.GetBytes($"n{i}"), "0.1");
            tasks.Add((task.GetProperty("id").GetString()!, $"echo:n{i}"));
        }

        foreach (var (id, expected) in tasks)
        {
            var done = await Eventually.Until(() => client.GetTaskAsync(id), t => t.GetProperty("status").GetString() == "Completed",
                TimeSpan.FromSeconds(90), $"task {id} to complete");
            Assert.Equal(expected, Encoding.UTF8.GetString(Convert.FromBase64String(done.GetProperty("result").GetProperty("output").GetString()!)));
            var cell = done.GetProperty("attempts")[0].GetProperty("workerCell");
            Assert.True(cell.ValueKind == System.Text.Json.JsonValueKind.Null || (cell.GetProperty("lat").GetInt32(), cell.GetProperty("lon").GetInt32()) == (52, 5));
            var settled = await client.AcceptTaskAsync(id);
            Assert.Equal("Settled", settled.GetProperty("status").GetString());
        }

        var me = await client.GetMeAsync();
        Assert.Equal("94.75", me.GetProperty("balance").GetProperty("available").GetString());
        Assert.Equal("0", me.GetProperty("balance").GetProperty("escrow").GetString());
        using var worker = new GstdClient(_silo.BaseAddress, workerKey);
        Assert.Equal("5", (await worker.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString());
        Assert.Equal(250_000_000L, await PlatformFeesAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries"));
    }

    [Fact]
    public async Task Work_of_an_agent_killed_mid_task_finishes_on_the_other_agent()
    {
        var (client, moduleId) = await ClientAsync("100", "countdown");
        var workerKey = await WorkerAccountAsync();
        var doomed = StartAgent(workerKey, "doomed", 1);

        // A few seconds of real work, so the agent is surely mid-task when it dies.
        var input = BitConverter.GetBytes(4_000_000_000L);
        var id = (await client.SubmitTaskAsync(moduleId, input, "1", new { maxFuel = 1_000_000_000_000L })).GetProperty("id").GetString()!;
        await Eventually.Until(() => client.GetTaskAsync(id), t => t.GetProperty("status").GetString() == "Running",
            TimeSpan.FromSeconds(30), "the first agent to start the task");
        await doomed.KillAsync();
        StartAgent(workerKey, "survivor", 1);

        var done = await Eventually.Until(() => client.GetTaskAsync(id), t => t.GetProperty("status").GetString() == "Completed",
            TimeSpan.FromSeconds(90), "the task to finish on the surviving agent");
        Assert.Equal("done", Encoding.UTF8.GetString(Convert.FromBase64String(done.GetProperty("result").GetProperty("output").GetString()!)));
        var outcomes = done.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["WorkerLost", "Succeeded"], outcomes);
        Assert.Equal("Settled", (await client.AcceptTaskAsync(id)).GetProperty("status").GetString());
        using var worker = new GstdClient(_silo.BaseAddress, workerKey);
        Assert.Equal("1", (await worker.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString());
    }

    [Fact]
    public async Task Hostile_modules_never_complete_are_never_paid_and_leave_the_silo_healthy()
    {
        var workerKey = await WorkerAccountAsync();
        StartAgent(workerKey, "target", 2);
        var ids = new List<(GstdClient Client, string Id)>();
        foreach (var hostile in new[] { "infinite-loop", "memory-bomb", "deep-recursion", "endless-writer", "trap" })
        {
            var (client, moduleId) = await ClientAsync("10", hostile);
            var task = await client.SubmitTaskAsync(moduleId, [], "1", new { maxAttempts = 2, maxFuel = 100_000_000L, timeoutSeconds = 5 });
            ids.Add((client, task.GetProperty("id").GetString()!));
        }

        foreach (var (client, id) in ids)
        {
            var dead = await Eventually.Until(() => client.GetTaskAsync(id), t => t.GetProperty("status").GetString() == "DeadLettered",
                TimeSpan.FromSeconds(90), $"hostile task {id} to be dead-lettered");
            Assert.Equal("Refunded", dead.GetProperty("escrow").GetProperty("state").GetString());
            Assert.All(dead.GetProperty("attempts").EnumerateArray(), a => Assert.Equal("Failed", a.GetProperty("outcome").GetString()));
            Assert.Equal("10", (await client.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString());
        }

        using var worker = new GstdClient(_silo.BaseAddress, workerKey);
        Assert.Equal("0", (await worker.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString());
        using var health = new HttpClient { BaseAddress = _silo.BaseAddress };
        Assert.True((await health.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode);
    }

    private async Task<(GstdClient Client, string ModuleId)> ClientAsync(string funds, string module)
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        var account = await anonymous.SignUpAsync("client", "client");
        var client = new GstdClient(_silo.BaseAddress, account.GetProperty("apiKey").GetString());
        await client.DepositAsync(funds);
        return (client, await client.UploadModuleAsync(TestModules.Wasm(module)));
    }

    private async Task<string> WorkerAccountAsync()
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        return (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
    }

    private WorkerProcess StartAgent(string apiKey, string name, int capacity, double? lat = null, double? lon = null)
    {
        var agent = new WorkerProcess(_silo.BaseAddress, apiKey, name, capacity, _keys, lat, lon);
        agent.Start();
        _agents.Add(agent);
        return agent;
    }

    private Task<long> PlatformFeesAsync() => ScalarAsync("SELECT COALESCE(sum(amount), 0) FROM ledger_entries WHERE account = 'platform:fees'");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = _db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
