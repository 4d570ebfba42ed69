using Gstd.Sandbox.Running;
using Gstd.Testing;

namespace Gstd.SandboxTests;

public sealed class RunnerTests
{
    [Fact]
    public async Task Spinning_modules_leave_the_callers_thread_pool_free()
    {
        using var engine = new WasmEngine();
        using var runner = new SandboxRunner(engine, threads: 2);
        var spin = TestModules.Wasm("infinite-loop");
        var limits = SandboxLimits.Default with { Fuel = long.MaxValue / 2, Timeout = TimeSpan.FromSeconds(2) };
        var spinning = Enumerable.Range(0, 4)
            .Select(_ => runner.RunAsync(new RunRequest(TestModules.IdOf(spin), spin, Array.Empty<byte>(), "s"u8.ToArray(), limits)))
            .ToArray();

        // While both sandbox threads spin and two more runs wait, ordinary work still runs at once.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => i)));
        Assert.Equal(4950, answers.Sum());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"The thread pool waited {watch.Elapsed}.");
        Assert.All(spinning, t => Assert.False(t.IsCompleted));

        Assert.All(await Task.WhenAll(spinning), r => Assert.Equal(RunOutcome.TimedOut, r.Outcome));
    }

    [Fact]
    public async Task Concurrency_is_bounded_by_the_thread_count()
    {
        using var engine = new WasmEngine();
        using var runner = new SandboxRunner(engine, threads: 1);
        var spin = TestModules.Wasm("infinite-loop");
        var tiny = TestModules.Wasm("tiny");
        var busy = runner.RunAsync(new RunRequest(TestModules.IdOf(spin), spin, Array.Empty<byte>(), "s"u8.ToArray(),
            SandboxLimits.Default with { Fuel = long.MaxValue / 2, Timeout = TimeSpan.FromMilliseconds(500) }));
        var queued = runner.RunAsync(new RunRequest(TestModules.IdOf(tiny), tiny, Array.Empty<byte>(), "s"u8.ToArray(), SandboxLimits.Default));

        var first = await Task.WhenAny(busy, queued);
        Assert.Same(busy, first);
        Assert.Equal(RunOutcome.TimedOut, (await busy).Outcome);
        Assert.Equal(RunOutcome.Succeeded, (await queued).Outcome);
    }
}
