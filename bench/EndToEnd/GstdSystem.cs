using Gstd.Client;
using Gstd.Testing;

namespace Gstd.Bench.EndToEnd;

/// <summary>One silo process (gateway included) as an operator runs it, and the worker fleets of each measured run.</summary>
public sealed class GstdSystem : IAsyncDisposable
{
    /// <summary>The agent caps logical workers per process at 64; fleets are split into processes of at most this many.</summary>
    private const int AgentsPerProcess = 50;

    private readonly SiloProcess _silo;
    private readonly string _keys;
    private readonly GstdClient _anonymous;
    private int _fleets;

    private GstdSystem(SiloProcess silo, string keys)
    {
        _silo = silo;
        _keys = keys;
        _anonymous = new GstdClient(silo.BaseAddress);
    }

    public Uri BaseAddress => _silo.BaseAddress;

    public int SiloProcessId => _silo.ProcessId ?? 0;

    public static async Task<GstdSystem> StartAsync(string connectionString)
    {
        var keys = Directory.CreateTempSubdirectory("gstd-e2e-bench-").FullName;
        var silo = new SiloProcess(connectionString, "e2e-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string>
        {
            ["Gstd:SelfServiceWorkers"] = "true",
            ["Gstd:AdminKeyFile"] = Path.Combine(keys, "admin.key"),
            // A handful of clients submit every task of the run, and one address signs up every account.
            ["Gstd:RequestsPerMinute"] = "10000000",
            ["Gstd:AccountCreationsPerHour"] = "10000",
            // A fleet of 100 logical workers is one operator account with a socket each.
            ["Gstd:SocketsPerAccount"] = "10000",
        }, environment: "Development");
        silo.Start();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Console.Error.WriteLine($"silo ready at {silo.BaseAddress}");
        return new GstdSystem(silo, keys);
    }

    public Task<GstdClients> ClientsAsync(int accounts) => GstdClients.SignUpAsync(BaseAddress, _anonymous, accounts, TestModules.Wasm("echo"));

    /// <summary>Real agent processes (<c>Gstd.Worker</c>, Wasmtime sandbox) with <paramref name="agents"/> logical workers of a new operator, all online.</summary>
    public async Task<IAsyncDisposable> AgentsAsync(int agents, int capacity)
    {
        var (key, fleet) = await OperatorAsync();
        var processes = new List<WorkerProcess>();
        for (var started = 0; started < agents; started += AgentsPerProcess)
        {
            var process = new WorkerProcess([BaseAddress], key, $"{fleet}-{started}", capacity, _keys, agents: Math.Min(AgentsPerProcess, agents - started));
            process.Start();
            processes.Add(process);
        }

        await OnlineAsync(key, agents);
        return new Fleet(processes.Cast<IAsyncDisposable>().ToList());
    }

    /// <summary>Scripted workers in this process (no sandbox) that answer as <paramref name="answer"/> says, all online.</summary>
    public async Task<IAsyncDisposable> ScriptedAsync(int workers, int capacity, ScriptedWorker.Answer answer)
    {
        var (key, fleet) = await OperatorAsync();
        var list = new List<IAsyncDisposable>();
        for (var i = 0; i < workers; i++)
        {
            list.Add(await ScriptedWorker.StartAsync(BaseAddress, key, $"{fleet}-{i}", answer, capacity));
        }

        await OnlineAsync(key, workers);
        return new Fleet(list);
    }

    private async Task<(string Key, string Fleet)> OperatorAsync()
    {
        var fleet = $"fleet{++_fleets}";
        return ((await _anonymous.SignUpAsync($"bench-operator-{fleet}", "worker")).GetProperty("apiKey").GetString()!, fleet);
    }

    private async Task OnlineAsync(string operatorKey, int workers)
    {
        using var client = new GstdClient(BaseAddress, operatorKey);
        await Eventually.Until(async () =>
        {
            var online = 0;
            foreach (var worker in (await client.ListWorkersAsync()).GetProperty("items").EnumerateArray())
            {
                online += (await client.GetWorkerAsync(worker.GetProperty("id").GetString()!)).GetProperty("online").GetBoolean() ? 1 : 0;
            }

            return online;
        }, online => online == workers, TimeSpan.FromSeconds(120), $"{workers} workers to be online");
    }

    public async ValueTask DisposeAsync()
    {
        _anonymous.Dispose();
        await _silo.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    private sealed class Fleet(List<IAsyncDisposable> members) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
