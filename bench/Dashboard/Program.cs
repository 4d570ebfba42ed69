using System.Globalization;
using System.Text.Json;
using Gstd.Client;
using Gstd.Testing;

// ./bench.sh dashboard [tasks] [workers] [stream-seconds]
// One silo serving the web app, the given number of scripted workers spread over the world on their own WebSockets,
// and a client whose tasks they run. A headless Chromium (ClientApp/browser-tests/dashboard-bench.mjs) opens the
// client's dashboard and measures time to first render and the longest frame while events stream; the same page for
// a client with nothing yet, opened under the same load, is the baseline of the same run.
var tasks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var streamSeconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
const int WorkersPerOperator = 10;
var random = new Random(20261127);

await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
var keys = Directory.CreateTempSubdirectory("gstd-dashboard-bench-").FullName;
await using var silo = new SiloProcess(database.ConnectionString, "dashboard-" + Guid.NewGuid().ToString("N")[..8],
    new Dictionary<string, string>
    {
        ["Gstd:SelfServiceWorkers"] = "true",
        ["Gstd:AdminKeyFile"] = Path.Combine(keys, "admin.key"),
        ["Gstd:Map:MinWorkersPerCell"] = "1",
        // One client submits every task of the run, and one address signs up every operator.
        ["Gstd:RequestsPerMinute"] = "1000000",
        ["Gstd:AccountCreationsPerHour"] = "1000",
    },
    environment: "Development");
silo.Start();
await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
Console.Error.WriteLine($"silo ready at {silo.BaseAddress}");

using var anonymous = new GstdClient(silo.BaseAddress);

var scripted = new List<ScriptedWorker>();
var operatorKey = "";
for (var i = 0; i < workers; i++)
{
    if (i % WorkersPerOperator == 0)
    {
        Console.Error.WriteLine($"starting workers {i + 1}..{Math.Min(i + WorkersPerOperator, workers)}");
        operatorKey = (await anonymous.SignUpAsync($"operator-{i / WorkersPerOperator}", "worker")).GetProperty("apiKey").GetString()!;
    }

    // Land-heavy latitudes; each worker holds its tasks 5 to 20 s, so many run at once and the map keeps moving.
    var location = (random.Next(-45, 65) + 0.0, random.Next(-170, 180) + 0.0);
    scripted.Add(await ScriptedWorker.StartAsync(silo.BaseAddress, operatorKey, $"sim-{i}", ScriptedWorker.Echo, capacity: 2, location,
        TimeSpan.FromMilliseconds(random.Next(5_000, 20_000))));
}

var clientKey = (await anonymous.SignUpAsync("busy", "client")).GetProperty("apiKey").GetString()!;
using var client = new GstdClient(silo.BaseAddress, clientKey);
await client.DepositAsync("1000");
var moduleId = await client.UploadModuleAsync(TestModules.Wasm("echo"));
// Half the tasks exist before the page opens; the other half arrive while it is measured.
await SubmitAsync(tasks / 2, TimeSpan.Zero);
// The baseline shares the machine with the same silo, workers and running tasks: only the page differs.
var baseline = await MeasureAsync((await anonymous.SignUpAsync("empty", "client")).GetProperty("apiKey").GetString()!, 5);
Console.Error.WriteLine($"baseline (an empty account, same load): {baseline}");
var streaming = SubmitAsync(tasks - tasks / 2, TimeSpan.FromSeconds(streamSeconds * 0.8));
var loaded = await MeasureAsync(clientKey, streamSeconds);
await streaming;
Console.Error.WriteLine($"loaded ({tasks} tasks, {workers} workers): {loaded}");

foreach (var worker in scripted)
{
    await worker.DisposeAsync();
}

Directory.Delete(keys, recursive: true);
Console.WriteLine($"{"",-28}{"first render ms",16}{"longest frame ms",18}");
Console.WriteLine($"{"baseline (empty account)",-28}{baseline.FirstRenderMs,16:0}{baseline.LongestFrameMs,18:0}");
Console.WriteLine($"{$"{tasks} tasks, {workers} workers",-28}{loaded.FirstRenderMs,16:0}{loaded.LongestFrameMs,18:0}");
Console.WriteLine($"{"ratio to baseline",-28}{loaded.FirstRenderMs / baseline.FirstRenderMs,16:0.00}{loaded.LongestFrameMs / Math.Max(baseline.LongestFrameMs, 1),18:0.00}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"dashboard: tasks={tasks} workers={workers} first_render_ms={loaded.FirstRenderMs:0} longest_frame_ms={loaded.LongestFrameMs:0}"));
return;

async Task SubmitAsync(int count, TimeSpan over)
{
    var pause = count == 0 ? TimeSpan.Zero : over / count;
    for (var i = 0; i < count; i++)
    {
        await client.SubmitTaskAsync(moduleId, BitConverter.GetBytes(random.Next()), "0.01", new { reviewSeconds = 0 });
        await Task.Delay(pause);
    }
}

async Task<PageFigures> MeasureAsync(string apiKey, int seconds)
{
    var (exitCode, output) = await BrowserScript.RunAsync("dashboard-bench.mjs", new Dictionary<string, string>
    {
        ["GSTD_URL"] = silo.BaseAddress.ToString(),
        ["GSTD_KEY"] = apiKey,
        ["GSTD_STREAM_SECONDS"] = seconds.ToString(CultureInfo.InvariantCulture),
    }, TimeSpan.FromSeconds(seconds + 180));
    if (exitCode != 0)
    {
        throw new InvalidOperationException($"dashboard-bench.mjs exited with {exitCode}: {output}");
    }

    var figures = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{'))).RootElement;
    Console.Error.WriteLine($"longest frame: {figures.GetProperty("worst")}");
    return new PageFigures(figures.GetProperty("firstRenderMs").GetDouble(), figures.GetProperty("longestFrameMs").GetDouble());
}

internal sealed record PageFigures(double FirstRenderMs, double LongestFrameMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"first render {FirstRenderMs:0} ms, longest frame {LongestFrameMs:0} ms");
}
