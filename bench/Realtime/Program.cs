using System.Diagnostics;
using System.Globalization;
using Gstd.Bench.Realtime;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Testing;

// The realtime path under load, one silo process on a throwaway PostgreSQL, this process the load generator:
// (3) memory per idle connection: the silo's RSS before and after 1,000 subscribed, silent sockets;
// (1) fan-out: those sockets follow one account topic fed with events at a steady pace — frames delivered per
//     second against frames offered (the baseline: what the feed asked for);
// (2) replay: 10 clients at a time each catch up 1,000 missed events — latency against a plain subscribe — first
//     on a silo that no longer follows the topic (from history), then in rounds on one that does (from its frames);
// (4) 100 forced reconnects of a resilient client while the feed runs: every event once, in order;
// (5) commit to socket at a low rate: one event at a time committed to the outbox as a transition on another silo
//     commits it (then a NOTIFY wakes the partition's reader), timed from just before its COMMIT to its frame on a
//     subscribed socket.
// Usage: ./bench.sh realtime [clients] [tasks-per-second] [seconds]
var invariant = CultureInfo.InvariantCulture;
var clients = args.Length > 0 ? int.Parse(args[0], invariant) : 1000;
var tasksPerSecond = args.Length > 1 ? double.Parse(args[1], invariant) : 40;
var seconds = args.Length > 2 ? double.Parse(args[2], invariant) : 30;
const int Replayers = 10;
const int ReplayRounds = 10;
const int Missed = 1000;
const int Reconnects = 100;
const int CommitSamples = 300;
const int CommitsPerSecond = 20;
void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
static string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

Progress("starting PostgreSQL's database and one silo");
await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
await using var silo = new SiloProcess(database.ConnectionString, "realtime-" + Guid.NewGuid().ToString("N")[..8],
    // The thousand sockets are one account's, and the feed's tasks stay queued (no worker runs them).
    new Dictionary<string, string>
    {
        ["Gstd:RequestsPerMinute"] = "10000000", ["Gstd:SocketsPerAccount"] = "10000", ["Gstd:Limits:MaxQueuedTasks"] = "1000000",
    }, environment: "Development");
silo.Start();
await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
var pid = silo.ProcessId!.Value;
var server = silo.BaseAddress;

using var anonymous = new GstdClient(server);
var account = await anonymous.SignUpAsync("realtime-bench", "client");
var apiKey = account.GetProperty("apiKey").GetString()!;
var accountId = account.GetProperty("id").GetString()!;
using var client = new GstdClient(server, apiKey);
for (var i = 0; i < 5; i++)
{
    await client.DepositAsync("1000");
}

var moduleId = await client.UploadModuleAsync(TestModules.Wasm("echo"));
// Warm the path (topic grain, gateway, sockets that subscribe and receive, JIT) so the memory reading is about
// connections, not about code compiled for the first of them.
await using (var warm = new Feed(client, moduleId, 20))
{
    var warmSockets = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Listener.ConnectAsync(server, apiKey, default)));
    foreach (var socket in warmSockets)
    {
        await socket.SubscribeAsync(null);
    }

    warm.Start();
    await Task.Delay(TimeSpan.FromSeconds(3));
    foreach (var socket in warmSockets)
    {
        await socket.DisposeAsync();
    }
}

async Task<long> SettledRssAsync()
{
    var readings = new List<long>();
    for (var i = 0; i < 5; i++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        readings.Add(ProcessStats.RssBytes(pid));
    }

    return readings.Order().ElementAt(readings.Count / 2);
}

// (3) Idle connections.
var rssBefore = await SettledRssAsync();
Progress($"opening {clients} sockets (silo RSS {rssBefore / (1 << 20)} MiB)");
var listeners = new Listener[clients];
await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    listeners[i] = await Listener.ConnectAsync(server, apiKey, ct);
    await listeners[i].SubscribeAsync(null);
});
var rssAfter = await SettledRssAsync();
var bytesPerIdle = (rssAfter - rssBefore) / clients;
Progress($"silo RSS {rssAfter / (1 << 20)} MiB: {bytesPerIdle} bytes per idle connection");

// (1) Fan-out at a steady pace.
Progress($"feeding {F(tasksPerSecond)} tasks/s (~{F(tasksPerSecond * 2)} events/s, {F(tasksPerSecond * 2 * clients)} frames/s offered) for {F(seconds)} s");
var siloCpu = ProcessStats.CpuTime(pid);
var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
var framesBefore = listeners.Sum(l => l.Events);
var watch = Stopwatch.StartNew();
var feed = new Feed(client, moduleId, tasksPerSecond);
feed.Start();
await Task.Delay(TimeSpan.FromSeconds(seconds));
var elapsed = watch.Elapsed.TotalSeconds;
var framesPerSecond = (listeners.Sum(l => l.Events) - framesBefore) / elapsed;
siloCpu = ProcessStats.CpuTime(pid) - siloCpu;
ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;
await feed.DisposeAsync();
var offered = feed.Submitted * 2.0 * clients / elapsed;
Console.WriteLine($"fan-out: {clients} sockets, {feed.Submitted} tasks ({feed.Failed} failed{(feed.FirstFailure is { } why ? ", the first: " + why : "")}) in {F(elapsed, "0.0")} s");
Console.WriteLine($"  frames delivered/s {F(framesPerSecond)}, offered/s {F(offered)}, ratio {F(framesPerSecond / offered, "0.00")}x");
Console.WriteLine($"  CPU: silo {F(siloCpu.TotalSeconds / elapsed * 100)} %, load generator {F(ownCpu.TotalSeconds / elapsed * 100)} % (of one core)");

// The topic's head once the outbox has relayed the last submissions' events: unchanged for two seconds.
async Task<(string Epoch, long Head)> SettledHeadAsync()
{
    await using var probe = await Listener.ConnectAsync(server, apiKey, default);
    var (e, offset, _) = await probe.SubscribeAsync(null);
    while (true)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        if (probe.Last == offset)
        {
            return (e, offset);
        }

        offset = probe.Last;
    }
}

var (epoch, head) = await SettledHeadAsync();
var missedEvents = (int)Math.Min(Missed, head);
Progress($"waiting for every socket to reach offset {head}");
using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
{
    await Task.WhenAll(listeners.Where(l => l.ClosedWith is null).Select(l => l.ReachedAsync(head).WaitAsync(deadline.Token)));
}

var closed = listeners.Count(l => l.ClosedWith is not null);
var missed = listeners.Sum(l => l.Missed) + listeners.Where(l => l.ClosedWith is not null).Sum(l => head - l.Last);
var duplicated = listeners.Sum(l => l.Duplicates);
Console.WriteLine($"  closed by the server {closed}, missed {missed}, duplicated {duplicated}");
foreach (var listener in listeners)
{
    await listener.DisposeAsync();
}

// The replays are measured on a settled silo, not while it is still closing the 1,000 sockets of the fan-out.
for (var quiet = 0; quiet < 30; quiet++)
{
    var cpu = ProcessStats.CpuTime(pid);
    await Task.Delay(TimeSpan.FromSeconds(1));
    if (ProcessStats.CpuTime(pid) - cpu < TimeSpan.FromMilliseconds(100))
    {
        break;
    }
}

// (2) Replay of 1,000 missed events, against a plain subscribe at the head. The first round comes after the silo
// stopped following the topic (its last socket closed longer than the linger ago), so it reads history; the rounds
// after it find the topic followed and its recent frames held, as sockets that come back soon after leaving do.
Progress($"waiting {F(Gstd.Gateway.Realtime.TopicHub.Linger.TotalSeconds)} s for the silo to stop following the topic");
await Task.Delay(Gstd.Gateway.Realtime.TopicHub.Linger + Gstd.Gateway.Realtime.TopicHub.RefreshEvery);
Progress($"replaying {missedEvents} events to {Replayers} clients at a time, {ReplayRounds} rounds after one from history");
var replays = new List<double>();
var fromHistory = new List<double>();
var plain = new List<double>();
for (var round = -1; round < ReplayRounds; round++)
{
    var batch = await Task.WhenAll(Enumerable.Range(0, Replayers).Select(_ => Listener.ConnectAsync(server, apiKey, default)));
    var times = await Task.WhenAll(batch.Select(async l =>
    {
        var started = Stopwatch.GetTimestamp();
        var reply = await l.SubscribeAsync((epoch, head - missedEvents));
        if (!reply.Recovered)
        {
            throw new InvalidOperationException($"history did not reach back {missedEvents} events: answered {reply}");
        }

        await l.ReachedAsync(head).WaitAsync(TimeSpan.FromSeconds(60));
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }));
    Progress($"  round {round + 1}: fastest {F(times.Min(), "0.0")} ms, slowest {F(times.Max(), "0.0")} ms{(round < 0 ? " (from history)" : "")}");
    (round < 0 ? fromHistory : replays).AddRange(times);

    missed += batch.Sum(l => l.Missed);
    duplicated += batch.Sum(l => l.Duplicates);
    foreach (var listener in batch)
    {
        var started = Stopwatch.GetTimestamp();
        await listener.SubscribeAsync(null);
        if (round >= 0)
        {
            plain.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        await listener.DisposeAsync();
    }
}

Console.WriteLine($"replay: {replays.Count} catch-ups of {missedEvents} events: p50 {F(Percentiles.Of(replays, 0.5), "0.0")} ms, p99 {F(Percentiles.Of(replays, 0.99), "0.0")} ms;"
    + $" {fromHistory.Count} from history: p50 {F(Percentiles.Of(fromHistory, 0.5), "0.0")} ms, slowest {F(fromHistory.Max(), "0.0")} ms;"
    + $" plain subscribe p50 {F(Percentiles.Of(plain, 0.5), "0.0")} ms, p99 {F(Percentiles.Of(plain, 0.99), "0.0")} ms");

// (4) Forced reconnects of the .NET resilient client while the feed runs.
Progress($"{Reconnects} forced reconnects of a resilient client under a feed");
var connection = new RealtimeConnection([server], apiKey, ["account"]);
var delivered4 = new List<long>();
long Last4()
{
    lock (delivered4)
    {
        return delivered4.Count > 0 ? delivered4[^1] : 0;
    }
}

var resyncs = 0;
var connected = new SemaphoreSlim(0);
connection.StateChanged += state =>
{
    if (state == ConnectionState.Connected)
    {
        connected.Release();
    }
};
connection.Start();
await connected.WaitAsync(TimeSpan.FromSeconds(30));
var drain = Task.Run(async () =>
{
    await foreach (var e in connection.Events.ReadAllAsync())
    {
        lock (delivered4)
        {
            delivered4.Add(e.Offset);
        }
    }
});
var resyncDrain = Task.Run(async () =>
{
    await foreach (var _ in connection.Resyncs.ReadAllAsync())
    {
        Interlocked.Increment(ref resyncs);
    }
});
feed = new Feed(client, moduleId, 20);
feed.Start();
for (var i = 0; i < Reconnects; i++)
{
    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 300)));
    connection.Interrupt();
    await connected.WaitAsync(TimeSpan.FromSeconds(30));
}

await feed.DisposeAsync();
var (_, head4) = await SettledHeadAsync();
await Eventually.Until(() => Task.FromResult(Last4() >= head4), TimeSpan.FromSeconds(60), "the resilient client to catch up");
await connection.DisposeAsync();
await drain;
await resyncDrain;
var expected = Enumerable.Range((int)head + 1, (int)(head4 - head)).Select(o => (long)o).ToHashSet();
var missed4 = expected.Count(o => !delivered4.Contains(o));
var duplicated4 = delivered4.Count - delivered4.Distinct().Count();
var ordered = delivered4.SequenceEqual(delivered4.Order());
Console.WriteLine($"reconnects: {Reconnects} cuts, {delivered4.Count} events, missed {missed4}, duplicated {duplicated4}, in order {ordered}, resyncs {resyncs}");
missed += missed4 + (ordered ? 0 : 1);
duplicated += duplicated4;

// (5) Commit to socket, one event at a time on a quiet silo.
Progress($"{CommitSamples} single-event commits, {CommitsPerSecond} a second, timed to their frame");
var commitToSocket = new List<double>();
await using (var watcher = await Listener.ConnectAsync(server, apiKey, default))
{
    var (_, at, _) = await watcher.SubscribeAsync(null);
    using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / CommitsPerSecond));
    for (var n = 0; n < CommitSamples; n++)
    {
        await pace.WaitForNextTickAsync();
        await using var db = await database.DataSource.OpenConnectionAsync();
        await using var tx = await db.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO outbox (topic, kind, source, version, payload, created_at) VALUES (@topic, 'bench.commit', 'bench', @n, '{}', now())", db, tx))
        {
            insert.Parameters.AddWithValue("topic", "account:" + accountId);
            insert.Parameters.AddWithValue("n", (long)n);
            await insert.ExecuteNonQueryAsync();
        }

        var reached = watcher.ReachedAsync(++at);
        var started = Stopwatch.GetTimestamp();
        await tx.CommitAsync();
        // Woken as by a writer on another silo: a NOTIFY naming the partition after the commit.
        await using (var wake = new Npgsql.NpgsqlCommand("SELECT pg_notify('gstd_outbox', outbox_partition(@topic)::text)", db))
        {
            wake.Parameters.AddWithValue("topic", "account:" + accountId);
            await wake.ExecuteNonQueryAsync();
        }

        await reached.WaitAsync(TimeSpan.FromSeconds(30));
        commitToSocket.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    missed += watcher.Missed;
    duplicated += watcher.Duplicates;
}

Console.WriteLine($"commit to socket: {commitToSocket.Count} events: p50 {F(Percentiles.Of(commitToSocket, 0.5), "0.0")} ms, p99 {F(Percentiles.Of(commitToSocket, 0.99), "0.0")} ms");

Console.WriteLine($"realtime: clients={clients} events_per_s={F(framesPerSecond)} replay_p50_ms={F(Percentiles.Of(replays, 0.5), "0.0")} "
    + $"replay_p99_ms={F(Percentiles.Of(replays, 0.99), "0.0")} replay_from_history_max_ms={F(fromHistory.Max(), "0.0")} bytes_per_idle_conn={bytesPerIdle} missed={missed} duplicated={duplicated} "
    + $"commit_to_socket_p50_ms={F(Percentiles.Of(commitToSocket, 0.5), "0.0")} commit_to_socket_p99_ms={F(Percentiles.Of(commitToSocket, 0.99), "0.0")}");
return missed == 0 && duplicated == 0 ? 0 : 1;
