using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Gstd.Bench.Balancer;
using Gstd.Grains.Balancing;
using Gstd.Grains.Trust;
using Gstd.Silo.Hosting;
using Gstd.Testing;
using Gstd.Trust;
using Gstd.Workers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

// The trust-weighted balancer on an in-process cluster (one silo on PostgreSQL): decisions per second and
// decision latency with 10, 1,000 and 10,000 workers in one pool, the share accuracy over 1,000,000
// assignments to 100 workers of varied trust, capacity violations, and the in-memory choice alone.
// Usage: ./bench.sh balancer [concurrency] [seconds per pool]
var concurrency = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var window = TimeSpan.FromSeconds(seconds);
const int ShareWorkers = 100;
const long ShareDecisions = 1_000_000;
var invariant = CultureInfo.InvariantCulture;
void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

Progress("in-memory choice cost (no Orleans, no database)");
var pure = new[] { 10, 1_000, 10_000, 100_000 }.Select(n => (Workers: n, Nanoseconds: PureChoiceNanoseconds(n))).ToList();

Progress("starting PostgreSQL database and a silo");
await using var database = await TestPostgres.CreateDatabaseAsync();
var builder = new InProcessTestClusterBuilder(1);
builder.ConfigureSiloHost((_, host) => host.Services.AddGstdCore(database.ConnectionString));
builder.ConfigureSilo((_, silo) => silo.UseGstdStorage().UseGstdScheduling());
await using var cluster = builder.Build();
await cluster.DeployAsync();
// Decisions are made where task grains make them: inside the silo, not through a client gateway.
var grains = cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>();
var session = grains.CreateObjectReference<IWorkerSession>(new NullSession());
await using var workers = new BenchWorkers(grains, session, database.DataSource);

var pools = new (string Key, int Workers, int Capacity)[] { ("bench-10", 10, 8), ("bench-1000", 1_000, 2), ("bench-10000", 10_000, 2) };
foreach (var (key, count, capacity) in pools)
{
    Progress($"registering and connecting {count} workers for pool {key}");
    await workers.AddAsync(key, count, capacity);
}

Progress($"registering {ShareWorkers} workers of varied trust");
// Trust from about 0.33 to 0.98, every worker above the floor.
static (double Successes, double Failures) Evidence(int i) => (i * 2.0, (ShareWorkers - i) / 20.0);
var shareIds = await workers.AddAsync("bench-share", ShareWorkers, 64, Evidence);
await WaitForPoolAsync("bench-share", ShareWorkers);

var results = new List<DecisionFigures>();
foreach (var (key, count, capacity) in pools)
{
    await WaitForPoolAsync(key, count);
    Progress($"pool of {count}: {Math.Min(2, seconds):0} s warm-up, then {seconds:0.#} s with {concurrency} callers");
    await DecisionRun.RunAsync(grains, key, count, capacity, concurrency, TimeSpan.FromSeconds(Math.Min(2, seconds)), null);
    if (count == 10)
    {
        results.Add(await DecisionRun.BaselineAsync(grains, key, count, concurrency, window));
    }

    results.Add(await DecisionRun.RunAsync(grains, key, count, capacity, concurrency, window, null));
}

Progress($"share accuracy: {ShareDecisions:N0} decisions over {ShareWorkers} workers");
var share = await DecisionRun.RunAsync(grains, "bench-share", ShareWorkers, 64, concurrency, null, ShareDecisions);
var weights = Enumerable.Range(0, ShareWorkers).ToDictionary(
    i => shareIds[i], i => TrustModel.Weight(TrustModel.Score(new TrustStanding(Evidence(i).Successes, Evidence(i).Failures, DateTimeOffset.UtcNow))));
var totalWeight = weights.Values.Sum();
var shareError = weights.Max(w => Math.Abs((share.Picks.GetValueOrDefault(w.Key) / (double)share.Decisions) - (w.Value / totalWeight)) / (w.Value / totalWeight)) * 100;

Console.WriteLine($"balancer benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
    $"GC {(GCSettings.IsServerGC ? "server" : "workstation")} ({GCSettings.LatencyMode}), {concurrency} concurrent callers, one silo");
Console.WriteLine();
Console.WriteLine("| in-memory choice (choose + release) | ns per decision | vs 10 workers |");
Console.WriteLine("|---|---:|---:|");
foreach (var (n, ns) in pure)
{
    Console.WriteLine(string.Create(invariant, $"| {n:N0} workers | {ns:F0} | {ns / pure[0].Nanoseconds:F2}x |"));
}

Console.WriteLine();
Console.WriteLine("| on the cluster | workers | decisions/s | vs baseline | p50 ms | p99 ms | refusals | no capacity | over capacity |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
var baseline = results[0];
foreach (var r in results.Append(share))
{
    Console.WriteLine(string.Create(invariant,
        $"| {(r == share ? "share run" : r.Name)} | {r.Workers:N0} | {r.PerSecond:N0} | {r.PerSecond / baseline.PerSecond:F2}x | {r.P50Ms:F3} | {r.P99Ms:F3} | {r.Refusals:N0} | {r.NoCapacity:N0} | {r.OverCapacity:N0} |"));
}

var small = results[1];
var large = results[^1];
Console.WriteLine();
Console.WriteLine(string.Create(invariant,
    $"cost from 10 to 10,000 workers: decisions/s x{large.PerSecond / small.PerSecond:F2}, p99 x{large.P99Ms / small.P99Ms:F2}; in memory x{pure[2].Nanoseconds / pure[0].Nanoseconds:F2}"));
Console.WriteLine(string.Create(invariant,
    $"share: {share.Decisions:N0} decisions, largest relative deviation of a worker's share from its weight's share {shareError:F2} %"));
Console.WriteLine(string.Create(invariant,
    $"balancer: workers=10000 decisions_per_s={large.PerSecond:F0} p50_ms={large.P50Ms:F3} p99_ms={large.P99Ms:F3} share_error_pct={shareError:F2} over_capacity={results.Sum(r => r.OverCapacity) + share.OverCapacity}"));

async Task WaitForPoolAsync(string key, int count)
{
    var pool = grains.GetGrain<IWorkerPoolGrain>(key);
    var watch = Stopwatch.StartNew();
    PoolStats stats;
    while ((stats = await pool.GetStats()).ReadyWorkers < count)
    {
        if (watch.Elapsed > TimeSpan.FromMinutes(1))
        {
            throw new TimeoutException($"Pool {key} never saw its {count} workers: {stats}.");
        }

        await Task.Delay(100);
    }
}

static double PureChoiceNanoseconds(int workers)
{
    var balancer = new WeightedBalancer();
    var trust = new Dictionary<string, double>(StringComparer.Ordinal);
    for (var i = 0; i < workers; i++)
    {
        trust["w" + i] = 0.3 + (0.7 * (i % 100) / 100.0);
        balancer.Upsert("w" + i, trust["w" + i], 4);
    }

    const int Decisions = 1_000_000;
    string[] none = [];
    var watch = new Stopwatch();
    for (var round = 0; round < 2; round++)
    {
        watch.Restart();
        for (var n = 0; n < Decisions; n++)
        {
            var id = balancer.Choose(0, none)!;
            balancer.Upsert(id, trust[id], 4);
        }
    }

    return watch.Elapsed.TotalNanoseconds / Decisions;
}
