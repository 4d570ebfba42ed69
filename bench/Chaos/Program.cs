using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gstd.Bench.Chaos;
using Gstd.Testing;
using Npgsql;

// Chaos on real processes: 3 silos and 3 agent processes (4 logical workers each) on one PostgreSQL, plus one
// worker that fails everything it is offered. Tasks are submitted at a steady pace — most succeed, some land on
// the failing worker first and succeed elsewhere, two in ten count down for a while (so kills catch them
// running), one in ten always traps and end dead-lettered after 1 s, 5 s and
// 30 s of backoff — while a silo or an agent process is SIGKILLed about every 20 s and restarted 10 s later. Then every task
// must be terminal, none settled twice, the journal must sum to zero and only the worker that did a task paid.
// Usage: ./bench.sh chaos [tasks] [seconds between kills] [seconds of submitting]
var invariant = CultureInfo.InvariantCulture;
var total = args.Length > 0 ? int.Parse(args[0], invariant) : 1000;
var killEvery = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], invariant) : 20);
var submitting = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], invariant) : 240);
const int AgentProcesses = 3;
const int AgentsEach = 4;
const int Capacity = 2;
var names = new[] { "alpha", "bravo", "charlie" };
void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

Progress("creating the database and starting 3 silos");
await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
var keys = Directory.CreateTempSubdirectory("gstd-chaos-").FullName;
await using var cluster = new Cluster(database, keys);
await cluster.StartSilosAsync(3);
var servers = cluster.Servers;
using var stop = new CancellationTokenSource();

Progress("signing up 4 funded clients and 2 worker operators");
var clients = new List<(string Key, string Echo, string Countdown, string Trap)>();
for (var i = 0; i < 4; i++)
{
    var key = await Cluster.RetryAsync(servers, null, c => c.SignUpAsync($"chaos-client-{i}", "client"), stop.Token);
    var apiKey = key.GetProperty("apiKey").GetString()!;
    // Not repeated on errors: a faucet deposit is not idempotent.
    using (var funding = new Gstd.Client.GstdClient(servers[i % servers.Count], apiKey))
    {
        await funding.DepositAsync("1000");
    }

    clients.Add((apiKey,
        await Cluster.RetryAsync(servers, apiKey, c => c.UploadModuleAsync(TestModules.Wasm("echo")), stop.Token),
        await Cluster.RetryAsync(servers, apiKey, c => c.UploadModuleAsync(TestModules.Wasm("countdown")), stop.Token),
        await Cluster.RetryAsync(servers, apiKey, c => c.UploadModuleAsync(TestModules.Wasm("trap")), stop.Token)));
}

var operatorKey = (await Cluster.RetryAsync(servers, null, c => c.SignUpAsync("chaos-operator", "worker"), stop.Token)).GetProperty("apiKey").GetString()!;
var flakyKey = (await Cluster.RetryAsync(servers, null, c => c.SignUpAsync("chaos-flaky", "worker"), stop.Token)).GetProperty("apiKey").GetString()!;
foreach (var name in names)
{
    cluster.StartAgent(operatorKey, name, AgentsEach, Capacity);
}

using var flaky = new FlakyWorker(servers, flakyKey, "flaky", 2);
var flakyRun = flaky.RunAsync(stop.Token);
await Eventually.Until(() => OnlineWorkersAsync(servers, operatorKey, stop.Token), online => online == AgentProcesses * AgentsEach,
    TimeSpan.FromSeconds(120), "every agent to be online");

await using var membership = new MembershipWatcher(database.DataSource);
membership.Start();
var submitted = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
var kills = new List<Kill>();
var clock = Stopwatch.StartNew();
Progress($"submitting {total} tasks over {submitting.TotalSeconds:0} s; a kill every ~{killEvery.TotalSeconds:0} s");
var submitter = Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (i, ct) =>
{
    var wait = submitting * i / total - clock.Elapsed;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait, ct);
    }

    var (key, echo, countdown, trap) = clients[i % clients.Count];
    var (kind, module, input, options) = (i % 10) switch
    {
        0 => ("trap", trap, Array.Empty<byte>(), (object)new { reviewSeconds = 0, maxAttempts = 4 }),
        1 or 2 => ("countdown", countdown, BitConverter.GetBytes(1_000_000_000L), (object)new { reviewSeconds = 0, maxFuel = 100_000_000_000L }),
        _ => ("echo", echo, Encoding.UTF8.GetBytes($"chaos {i}"), (object)new { reviewSeconds = 0 }),
    };
    var task = await Cluster.RetryAsync(servers, key, c => c.SubmitTaskAsync(module, input, "0.01", options, $"chaos-{i}"), ct);
    submitted[task.GetProperty("id").GetString()!] = kind;
});

var random = new Random(20261126);
var restarting = Task.CompletedTask;
var agentRestarting = Task.CompletedTask;
for (var n = 0; !submitter.IsCompleted; n++)
{
    await Task.WhenAny(submitter, Task.Delay(killEvery * (0.75 + (random.NextDouble() / 2))));
    if (submitter.IsCompleted)
    {
        break;
    }

    // Silo kills alternate with agent kills; a silo is killed only while the other two are up.
    if (n % 2 == 0 && restarting.IsCompleted)
    {
        var index = random.Next(cluster.Silos.Count);
        var silo = cluster.Silos[index];
        var row = await membership.ActiveOnAsync(silo.SiloPort);
        var inFlight = await InFlightAsync(database.DataSource, null);
        var at = DateTimeOffset.UtcNow;
        await cluster.KillSiloAsync(index);
        kills.Add(new Kill(at, $"silo :{silo.SiloPort}", true, inFlight, row));
        Progress($"killed silo {index + 1} (:{silo.SiloPort}, {inFlight.Count} tasks in flight); restarting it in {killEvery.TotalSeconds / 2:0} s");
        restarting = Task.Run(async () =>
        {
            await Task.Delay(killEvery / 2);
            await cluster.RestartSiloAsync(index);
            Progress($"silo {index + 1} is back");
        });
    }
    else if (agentRestarting.IsCompleted)
    {
        // The agent process with the most work in flight, so the kill strands as many tasks as it can.
        var busiest = new List<(int Index, IReadOnlyDictionary<string, int> InFlight)>();
        for (var i = 0; i < cluster.Agents.Count; i++)
        {
            busiest.Add((i, await InFlightAsync(database.DataSource, cluster.Agents[i].Name + "-")));
        }

        var (index, inFlight) = busiest.MaxBy(a => a.InFlight.Count);
        var name = cluster.Agents[index].Name;
        var everywhere = (await InFlightAsync(database.DataSource, null)).Count;
        var at = DateTimeOffset.UtcNow;
        await cluster.KillAgentAsync(index);
        kills.Add(new Kill(at, "agent " + name, false, inFlight, null));
        Progress($"killed agent process {name} ({inFlight.Count} of the {everywhere} tasks in flight); restarting it in {killEvery.TotalSeconds / 2:0} s");
        // Away longer than the reconnect grace, so its leases go to other workers, as when a machine dies.
        agentRestarting = Task.Run(async () =>
        {
            await Task.Delay(killEvery / 2);
            await cluster.RestartAgentAsync(index, operatorKey, AgentsEach, Capacity);
        });
    }
}

await submitter;
await restarting;
await agentRestarting;
Progress($"{submitted.Count} tasks submitted; waiting for every one to end");
await Eventually.Until(() => ChaosReport.UnfinishedAsync(database.DataSource, submitted.Keys.ToList()), left => left == 0, TimeSpan.FromMinutes(5), "every task to end");
var report = await ChaosReport.MeasureAsync(database.DataSource, submitted, kills, membership);
// The sentinel's own audit over the whole database: journal, escrow of ended tasks, deadlines, outbox, workers.
var audit = await Cluster.RetryAsync(servers, File.ReadAllText(Path.Combine(keys, "admin.key")).Trim(), c => c.AuditAsync(), stop.Token);
await stop.CancelAsync();
await flakyRun.ContinueWith(_ => { }, TaskScheduler.Default);

static string Ms(IEnumerable<double> values, double p) => Percentiles.Of(values, p) is var v && double.IsNaN(v) ? "-" : v.ToString("0", CultureInfo.InvariantCulture);
Console.WriteLine($"kills: {kills.Count(k => k.IsSilo)} silo, {kills.Count(k => !k.IsSilo)} agent process, over {clock.Elapsed.TotalSeconds:0} s");
Console.WriteLine($"outcomes: settled={report.Settled} (after a failure: {report.SucceededAfterFailure}) dead_lettered={report.DeadLettered} ({string.Join(", ", report.DeadLetterReasons.Select(r => $"{r.Key} {r.Value}"))}) flaky_failures={flaky.Failed}");
Console.WriteLine($"checks: unsettled_work={report.UnsettledWork} escrow_mismatches={report.EscrowMismatches} unearned_payouts={report.UnearnedPayouts} audit={(audit.GetProperty("healthy").GetBoolean() ? "healthy" : audit.ToString())}");
Console.WriteLine($"reassignment after a silo kill:  n={report.ReassignAfterSiloMs.Count} p50={Ms(report.ReassignAfterSiloMs, 0.5)} ms p99={Ms(report.ReassignAfterSiloMs, 0.99)} ms max={Ms(report.ReassignAfterSiloMs, 1)} ms");
Console.WriteLine($"reassignment after an agent kill: n={report.ReassignAfterAgentMs.Count} p50={Ms(report.ReassignAfterAgentMs, 0.5)} ms p99={Ms(report.ReassignAfterAgentMs, 0.99)} ms max={Ms(report.ReassignAfterAgentMs, 1)} ms");
for (var i = 0; i < report.RetryDelaysMs.Count; i++)
{
    var delays = report.RetryDelaysMs[i];
    Console.WriteLine($"retry {i + 1} (backoff {new[] { 1, 5, 30 }[i]} s ± 20 %): n={delays.Count} min={Ms(delays, 0)} p50={Ms(delays, 0.5)} max={Ms(delays, 1)} ms");
}

foreach (var (isSilo, timeline) in report.SlowestReassign)
{
    Console.WriteLine($"slowest reassignment after {(isSilo ? "a silo" : "an agent")} kill: {timeline}");
}

Console.WriteLine($"echo attempt (assigned to result): n={report.EchoAttemptMs.Count} p50={Ms(report.EchoAttemptMs, 0.5)} ms p99={Ms(report.EchoAttemptMs, 0.99)} ms max={Ms(report.EchoAttemptMs, 1)} ms");
Console.WriteLine($"silo declared dead after a kill: n={report.DeathDetectionMs.Count} p50={Ms(report.DeathDetectionMs, 0.5)} ms max={Ms(report.DeathDetectionMs, 1)} ms");
Console.WriteLine(string.Create(invariant,
    $"chaos: tasks={report.Tasks} lost={report.Lost} double_settled={report.DoubleSettled} ledger_sum={report.LedgerSum} dead_lettered={report.DeadLettered} reassign_p50_ms={Ms(report.ReassignMs, 0.5)} reassign_p99_ms={Ms(report.ReassignMs, 0.99)} false_deaths={report.FalseDeaths}"));
Directory.Delete(keys, recursive: true);
return report.Holds && audit.GetProperty("healthy").GetBoolean() ? 0 : 1;

static async Task<int> OnlineWorkersAsync(IReadOnlyList<Uri> servers, string apiKey, CancellationToken ct)
{
    var list = await Cluster.RetryAsync(servers, apiKey, c => c.ListWorkersAsync(), ct);
    var online = 0;
    foreach (var worker in list.GetProperty("items").EnumerateArray())
    {
        var id = worker.GetProperty("id").GetString()!;
        online += (await Cluster.RetryAsync(servers, apiKey, c => c.GetWorkerAsync(id), ct)).GetProperty("online").GetBoolean() ? 1 : 0;
    }

    return online;
}

// Tasks leased now (optionally only to workers whose name starts with a prefix), with how many attempts each had.
static async Task<IReadOnlyDictionary<string, int>> InFlightAsync(NpgsqlDataSource db, string? workerPrefix)
{
    await using var cmd = db.CreateCommand("""
        SELECT t.id, jsonb_array_length(t.body -> 'attempts') FROM tasks t LEFT JOIN workers w ON w.id = t.worker_id
        WHERE t.status IN ('Assigned', 'Running') AND (@prefix IS NULL OR starts_with(w.name, @prefix))
        """);
    cmd.Parameters.Add(new NpgsqlParameter("prefix", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)workerPrefix ?? DBNull.Value });
    var inFlight = new Dictionary<string, int>(StringComparer.Ordinal);
    await using var reader = await cmd.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        inFlight[reader.GetString(0)] = reader.GetInt32(1);
    }

    return inFlight;
}
