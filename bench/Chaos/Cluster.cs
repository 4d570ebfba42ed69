using System.Collections.Concurrent;
using System.Net;
using Gstd.Client;
using Gstd.Testing;

namespace Gstd.Bench.Chaos;

/// <summary>
/// Three real silo processes on one database and the agent processes serving them; kills and restarts them,
/// and makes API calls that survive a dead silo by moving on to the next one.
/// </summary>
public sealed class Cluster(TestDatabase database, string keyDirectory) : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<(Uri, string), GstdClient> Clients = new();
    private readonly string _clusterId = "chaos-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Where every silo's and agent's output is written when it ends, if GSTD_BENCH_LOGS names a folder.</summary>
    private readonly string? _logs = System.Environment.GetEnvironmentVariable("GSTD_BENCH_LOGS");
    private int _ended;

    public List<SiloProcess> Silos { get; } = [];

    public List<WorkerProcess> Agents { get; } = [];

    /// <summary>The silos' addresses; a restarted silo keeps its ports.</summary>
    public IReadOnlyList<Uri> Servers { get; private set; } = [];

    // The faucet and self-service workers of the Development environment; membership as shipped.
    private Dictionary<string, string> Settings => new()
    {
        ["Gstd:SelfServiceWorkers"] = "true",
        ["Gstd:AdminKeyFile"] = Path.Combine(keyDirectory, "admin.key"),
    };

    public async Task StartSilosAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var silo = new SiloProcess(database.ConnectionString, _clusterId, Settings, environment: "Development");
            silo.Start();
            Silos.Add(silo);
            // The first silo migrates the empty database; the others then join.
            await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        }

        Servers = Silos.Select(s => s.BaseAddress).ToList();
    }

    /// <summary>Kills a silo with SIGKILL; <see cref="RestartSiloAsync"/> brings it back on the same ports.</summary>
    public async Task KillSiloAsync(int index) => await Silos[index].KillAsync();

    public async Task RestartSiloAsync(int index)
    {
        var old = Silos[index];
        var silo = new SiloProcess(database.ConnectionString, _clusterId, Settings, old, "Development");
        await old.DisposeAsync();
        Keep($"silo{index + 1}", old.Output);
        Silos[index] = silo;
        silo.Start();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>An agent process; each one lists the silos starting from a different one.</summary>
    public void StartAgent(string apiKey, string name, int agents, int capacity)
    {
        var first = Agents.Count;
        var servers = Servers.Skip(first % Silos.Count).Concat(Servers.Take(first % Silos.Count)).ToList();
        var agent = new WorkerProcess(servers, apiKey, name, capacity, keyDirectory, agents: agents);
        agent.Start();
        Agents.Add(agent);
    }

    public async Task KillAgentAsync(int index) => await Agents[index].KillAsync();

    /// <summary>Starts a killed agent process again: the same name and keys, so the same workers.</summary>
    public async Task RestartAgentAsync(int index, string apiKey, int agents, int capacity)
    {
        var old = Agents[index];
        var servers = Servers.Skip(index % Silos.Count).Concat(Servers.Take(index % Silos.Count)).ToList();
        var agent = new WorkerProcess(servers, apiKey, old.Name, capacity, keyDirectory, agents: agents);
        await old.DisposeAsync();
        Keep("agent-" + old.Name, old.Output);
        Agents[index] = agent;
        agent.Start();
    }

    /// <summary>
    /// Runs an API call against one silo after another until one answers: a refused connection, a timeout
    /// or a 5xx moves on. Only calls the server deduplicates (reads, keyed submissions) are safe here.
    /// </summary>
    public static async Task<T> RetryAsync<T>(IReadOnlyList<Uri> servers, string? apiKey, Func<GstdClient, Task<T>> call, CancellationToken ct)
    {
        var start = Random.Shared.Next(servers.Count);
        for (var attempt = 0; ; attempt++)
        {
            var client = Clients.GetOrAdd((servers[(start + attempt) % servers.Count], apiKey ?? ""), key => new GstdClient(key.Item1, apiKey));
            try
            {
                return await call(client);
            }
            catch (Exception e) when (attempt < 60 && Transient(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
    }

    private static bool Transient(Exception e) => e switch
    {
        HttpRequestException or TaskCanceledException or IOException => true,
        GstdApiException api => (int)api.Status >= 500 || api.Status == HttpStatusCode.TooManyRequests,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in Agents)
        {
            await agent.DisposeAsync();
            Keep("agent-" + agent.Name, agent.Output);
        }

        for (var i = 0; i < Silos.Count; i++)
        {
            await Silos[i].DisposeAsync();
            Keep($"silo{i + 1}", Silos[i].Output);
        }
    }

    private void Keep(string name, string output)
    {
        if (_logs is not null)
        {
            Directory.CreateDirectory(_logs);
            File.WriteAllText(Path.Combine(_logs, $"{Interlocked.Increment(ref _ended):00}-{name}.log"), output);
        }
    }
}
