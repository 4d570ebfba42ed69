using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Gstd.Sandbox.Running;
using Wasmtime;

// Runs per second and per-run overhead of the sandbox, against bare Wasmtime measured in the same process:
// the baseline instantiates the same module in a fresh store and calls _start, with Wasmtime's own WASI
// and none of our limits, determinism or thread hand-off; once with Wasmtime's default allocator and once
// with the same pooled allocator the sandbox uses, so the difference is what the sandbox itself costs.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
var duration = TimeSpan.FromSeconds(seconds);
var tiny = Module.ConvertText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "tiny.wat")));
var echo = Module.ConvertText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "echo.wat")));

Console.WriteLine($"sandbox benchmark: {Environment.ProcessorCount} cores, {duration.TotalSeconds:0.#} s per measurement, .NET {Environment.Version}");
Report("bare Wasmtime, default allocator, tiny module (baseline)", BareWasmtime(new Config(), tiny, duration));
Report("bare Wasmtime, pooled allocator, tiny module", BareWasmtime(new Config().WithPoolingAllocationStrategy(
    new PoolingAllocationConfig().WithMaxMemorySize((nuint)WasmEngine.MaxMemoryBytes).WithLinearMemoryKeepResidentBytes(1024 * 1024)), tiny, duration));

using var engine = new WasmEngine();
foreach (var threads in new[] { 1, 2 })
{
    using var runner = new SandboxRunner(engine, threads);
    Report($"GSTD sandbox, tiny module, {threads} thread(s), {threads * 4} in flight", await Sandbox(runner, tiny, [], threads * 4, duration));
}

using (var single = new SandboxRunner(engine, 1))
{
    Report("GSTD sandbox, tiny module, 1 thread, 1 in flight (latency)", await Sandbox(single, tiny, [], 1, duration));
    Report("GSTD sandbox, echo 1 KiB, 1 thread, 4 in flight", await Sandbox(single, echo, new byte[1024], 4, duration));
    Report("GSTD sandbox, echo 0 B, 1 thread, 4 in flight", await Sandbox(single, echo, [], 4, duration));
}

static (long Runs, TimeSpan Elapsed) BareWasmtime(Config config, byte[] bytes, TimeSpan duration)
{
    using var engine = new Engine(config);
    using var module = Module.FromBytes(engine, "tiny", bytes);
    using var linker = new Linker(engine);
    linker.DefineWasi();
    var watch = Stopwatch.StartNew();
    long runs = 0;
    while (watch.Elapsed < duration)
    {
        using var store = new Store(engine);
        store.SetWasiConfiguration(new WasiConfiguration());
        linker.Instantiate(store, module).GetAction("_start")!();
        runs++;
    }

    return (runs, watch.Elapsed);
}

static async Task<(long Runs, TimeSpan Elapsed)> Sandbox(SandboxRunner runner, byte[] bytes, byte[] input, int inFlight, TimeSpan duration)
{
    var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    var request = new RunRequest(id, bytes, input, "bench"u8.ToArray(), SandboxLimits.Default);
    var first = await runner.RunAsync(request);
    if (!first.Succeeded)
    {
        throw new InvalidOperationException($"The benchmark module failed: {first.Outcome} {first.Detail}");
    }

    var watch = Stopwatch.StartNew();
    long runs = 0;
    await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
    {
        while (watch.Elapsed < duration)
        {
            await runner.RunAsync(request);
            Interlocked.Increment(ref runs);
        }
    }));
    return (runs, watch.Elapsed);
}

void Report(string name, (long Runs, TimeSpan Elapsed) result)
{
    var perSecond = result.Runs / result.Elapsed.TotalSeconds;
    var microseconds = result.Elapsed.TotalMilliseconds * 1000 / result.Runs;
    Baseline ??= perSecond;
    Console.WriteLine($"{name,-62} {perSecond,10:N0} runs/s {microseconds,9:N1} µs/run  {perSecond / Baseline.Value,5:0.00}× baseline");
}

partial class Program
{
    private static double? Baseline { get; set; }
}
