using System.Collections.Concurrent;
using System.Globalization;
using Gstd.Bench.EndToEnd;
using Gstd.Sandbox.Running;
using Gstd.Testing;

// ./bench.sh e2e [options]: GSTD end to end against Hangfire.PostgreSql and against what the PostgreSQL server
// itself can commit, on the same machine and server in one run. See BenchOptions for the options.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var invariant = CultureInfo.InvariantCulture;
var concurrency = options.Concurrency;
await using var gstdDatabase = await TestPostgres.CreateEmptyDatabaseAsync();
await using var hangfireDatabase = await TestPostgres.CreateEmptyDatabaseAsync();
var machine = $"{Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB():0} GiB, .NET {Environment.Version}";
var settings = await Measurement.ServerSettingsAsync(gstdDatabase.ConnectionString);
Console.Error.WriteLine($"machine: {machine}");
Console.Error.WriteLine("PostgreSQL: " + string.Join(", ", settings.Select(s => $"{s.Name}={s.Value}")));

var ceiling = await Ceiling.MeasureAsync(gstdDatabase.ConnectionString, concurrency, TimeSpan.FromSeconds(options.CeilingSeconds));
Console.Error.WriteLine(string.Create(invariant, $"ceiling: {ceiling:0} one-row write transactions/s over {concurrency} connections"));

var runs = new List<RunFigures>();
var scales = options.Scale.Append(options.Agents).Distinct().Order().ToList();
int Items(int agents) => agents == options.Agents ? options.Tasks : options.ScaleTasks;
string Workers(int agents) => $"{agents} logical workers × {options.Capacity}";

// Hangfire first, then GSTD: only one system runs at a time, so neither is charged for the other's background work.
RunFigures hangfireMain;
using (var engine = new WasmEngine())
using (var runner = new SandboxRunner(engine, Environment.ProcessorCount))
using (var hangfire = new HangfirePeer(hangfireDatabase.ConnectionString))
{
    EchoJob.Use(runner, TestModules.Wasm("echo"));
    await hangfire.RunAsync(options.WarmUp, 2 * concurrency, concurrency, failures: 0);
    foreach (var agents in scales)
    {
        var workers = agents * options.Capacity;
        runs.Add(await Measurement.RunAsync($"Hangfire, {workers} workers", hangfireDatabase.ConnectionString,
            () => hangfire.RunAsync(Items(agents), 2 * workers, workers, failures: 0)));
    }

    hangfireMain = runs.Single(r => r.Name == $"Hangfire, {concurrency} workers");
    runs.Add(await Measurement.RunAsync($"Hangfire, {concurrency} workers, fail twice then succeed", hangfireDatabase.ConnectionString,
        () => hangfire.RunAsync(options.RetryTasks, 2 * concurrency, concurrency, failures: 2)));
}

RunFigures gstdMain;
await using (var gstd = await GstdSystem.StartAsync(gstdDatabase.ConnectionString))
await using (var clients = await gstd.ClientsAsync(options.Clients))
{
    foreach (var agents in scales)
    {
        await using var fleet = await gstd.AgentsAsync(agents, options.Capacity);
        var loops = 2 * agents * options.Capacity;
        await ClosedLoop.RunAsync(options.WarmUp, loops, clients.RunAsync);
        runs.Add(await Measurement.RunAsync($"GSTD, {Workers(agents)}", gstdDatabase.ConnectionString,
            () => ClosedLoop.RunAsync(Items(agents), loops, clients.RunAsync)));
    }

    gstdMain = runs.Single(r => r.Name == $"GSTD, {Workers(options.Agents)}");
    var attempts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
    await using (await gstd.ScriptedAsync(options.Agents, options.Capacity,
        (taskId, input) => attempts.AddOrUpdate(taskId, 1, (_, n) => n + 1) <= 2 ? null : ScriptedWorker.Echo(taskId, input)))
    {
        runs.Add(await Measurement.RunAsync($"GSTD, {Workers(options.Agents)}, fail twice then succeed", gstdDatabase.ConnectionString,
            () => ClosedLoop.RunAsync(options.RetryTasks, 2 * concurrency, clients.RunAsync)));
    }
}

var ratio = gstdMain.PerSecond / hangfireMain.PerSecond;
var ceilingShare = gstdMain.PerSecond / (ceiling / 4);
Console.WriteLine($"machine: {machine}");
Console.WriteLine("PostgreSQL: " + string.Join(", ", settings.Select(s => $"{s.Name}={s.Value}")));
Console.WriteLine(string.Create(invariant, $"ceiling: {ceiling:0} one-row write transactions/s over {concurrency} connections; a four-write design tops out at {ceiling / 4:0} tasks/s"));
Console.WriteLine(string.Create(invariant, $"closed loop: {options.Clients} client accounts, two items in flight per unit of concurrency; main runs {options.Tasks} items, scaling runs {options.ScaleTasks}, retry runs {options.RetryTasks}"));
Console.WriteLine();
Console.WriteLine(RunFigures.Header);
foreach (var run in runs.OrderBy(r => r.Name.StartsWith("GSTD", StringComparison.Ordinal) ? 0 : 1))
{
    Console.WriteLine(run);
}

Console.WriteLine();
Console.WriteLine("where the CPU went (ms per item):");
foreach (var run in runs.OrderBy(r => r.Name.StartsWith("GSTD", StringComparison.Ordinal) ? 0 : 1))
{
    Console.WriteLine($"  {run.Name}: {run.CpuByProcess}");
}

Console.WriteLine();
Console.WriteLine(string.Create(invariant,
    $"e2e: tasks_per_s={gstdMain.PerSecond:0.0} p99_ms={gstdMain.P99Ms:0} hangfire_jobs_per_s={hangfireMain.PerSecond:0.0} ratio={ratio:0.00} commits_per_task={gstdMain.WritesPerItem:0.00} ceiling_share={ceilingShare:0.00}"));
return 0;

static string CpuModel() =>
    File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

static double MemoryGiB() =>
    long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
