using Gstd.Sandbox.Running;

namespace Gstd.SandboxTests;

/// <summary>Same module, same task ⇒ the same bytes, on any thread and any run.</summary>
public sealed class DeterminismTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Randomness_and_clocks_repeat_exactly_for_one_seed()
    {
        var first = await sandbox.RunAsync("random-and-clocks", seed: "task-42");
        var second = await sandbox.RunAsync("random-and-clocks", seed: "task-42");
        Assert.Equal(RunOutcome.Succeeded, first.Outcome);
        Assert.Equal(48, first.Output.Length);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.FuelUsed, second.FuelUsed);
    }

    [Fact]
    public async Task A_different_seed_gives_different_randomness()
    {
        var a = await sandbox.RunAsync("random-and-clocks", seed: "task-1");
        var b = await sandbox.RunAsync("random-and-clocks", seed: "task-2");
        Assert.NotEqual(a.Output[..32], b.Output[..32]);
        Assert.Equal(a.Output[32..], b.Output[32..]);
    }

    [Fact]
    public async Task Clocks_are_virtual_starting_in_2000_and_moving_with_fuel()
    {
        var result = await sandbox.RunAsync("random-and-clocks");
        var realtime = BitConverter.ToInt64(result.Output, 32);
        var monotonic = BitConverter.ToInt64(result.Output, 40);
        var wallClock = DateTimeOffset.UnixEpoch.AddTicks(realtime / 100);
        Assert.Equal(2000, wallClock.Year);
        Assert.InRange(monotonic, 1, result.FuelUsed);
    }

    [Fact]
    public async Task Runs_on_two_threads_at_once_agree()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => sandbox.RunAsync("random-and-clocks", seed: "shared")));
        Assert.All(runs, r => Assert.Equal(runs[0].Output, r.Output));
    }

    [Fact]
    public async Task Nans_are_canonical_whatever_the_processor_produces()
    {
        var result = await sandbox.RunAsync("nan");
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(0x7FC0_0000u, BitConverter.ToUInt32(result.Output, 0));
        Assert.Equal(0x7FF8_0000_0000_0000ul, BitConverter.ToUInt64(result.Output, 4));
    }

    [Fact]
    public async Task Input_reaches_stdin_and_stdout_comes_back()
    {
        var result = await sandbox.RunAsync("echo", "hello"u8.ToArray());
        Assert.Equal("echo:hello", System.Text.Encoding.UTF8.GetString(result.Output));
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.FuelUsed > 0);
    }
}
