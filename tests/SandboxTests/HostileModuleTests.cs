using Gstd.Sandbox.Running;

namespace Gstd.SandboxTests;

/// <summary>Each hostile module of the corpus is contained and ends with its own outcome.</summary>
public sealed class HostileModuleTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly SandboxLimits Small = new(50_000_000, 16L * 1024 * 1024, TimeSpan.FromSeconds(10), 64 * 1024);

    [Fact]
    public async Task An_infinite_loop_runs_out_of_fuel()
    {
        var result = await sandbox.RunAsync("infinite-loop", limits: Small);
        Assert.Equal(RunOutcome.OutOfFuel, result.Outcome);
        Assert.Equal(Small.Fuel, result.FuelUsed);
    }

    [Fact]
    public async Task An_infinite_loop_with_fuel_to_spare_is_stopped_by_the_wall_clock()
    {
        var limits = Small with { Fuel = long.MaxValue / 2, Timeout = TimeSpan.FromMilliseconds(200) };
        var result = await sandbox.RunAsync("infinite-loop", limits: limits);
        Assert.Equal(RunOutcome.TimedOut, result.Outcome);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Randomness_from_the_host_costs_fuel_so_a_flood_of_it_runs_out_of_fuel_not_of_time()
    {
        var limits = Small with { Timeout = TimeSpan.FromSeconds(30) };
        var result = await sandbox.RunAsync("random-flood", limits: limits);
        Assert.Equal(RunOutcome.OutOfFuel, result.Outcome);
        // 64 KiB at four units a byte: the 50 M of fuel pay for under 200 calls, where free calls would run until the clock stops them.
        Assert.InRange(result.Duration, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_memory_bomb_stops_at_the_memory_limit()
    {
        var result = await sandbox.RunAsync("memory-bomb", limits: Small);
        Assert.Equal(RunOutcome.MemoryLimit, result.Outcome);
    }

    [Fact]
    public async Task A_module_declaring_more_memory_than_allowed_never_starts()
    {
        var result = await sandbox.RunAsync("huge-memory", limits: Small);
        Assert.Equal(RunOutcome.MemoryLimit, result.Outcome);
    }

    [Fact]
    public async Task Deep_recursion_is_a_stack_overflow_trap_not_a_crash()
    {
        var result = await sandbox.RunAsync("deep-recursion", limits: Small);
        Assert.Equal(RunOutcome.Trapped, result.Outcome);
        Assert.Contains("StackOverflow", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_writer_stops_at_the_output_limit()
    {
        var result = await sandbox.RunAsync("endless-writer", limits: Small);
        Assert.Equal(RunOutcome.OutputTooLarge, result.Outcome);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task A_trap_is_reported_with_its_kind()
    {
        var result = await sandbox.RunAsync("trap", limits: Small);
        Assert.Equal(RunOutcome.Trapped, result.Outcome);
        Assert.Contains("Unreachable", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sleeper_in_poll_oneoff_returns_at_once_and_its_clock_moves_on()
    {
        var result = await sandbox.RunAsync("sleeper", limits: Small);
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.True(result.Duration < TimeSpan.FromSeconds(2), $"The sleep took {result.Duration}.");
        var before = BitConverter.ToInt64(result.Output, 0);
        var after = BitConverter.ToInt64(result.Output, 8);
        Assert.True(after - before >= 3_600_000_000_000, $"The virtual clock moved {after - before} ns.");
    }

    [Theory]
    [InlineData("foreign-import")]
    [InlineData("socket-import")]
    [InlineData("no-start")]
    public async Task Modules_the_sandbox_cannot_run_are_invalid(string name)
    {
        var result = await sandbox.RunAsync(name, limits: Small);
        Assert.Equal(RunOutcome.InvalidModule, result.Outcome);
    }

    [Fact]
    public async Task Bytes_that_are_not_webassembly_are_an_invalid_module()
    {
        var result = await sandbox.RunAsync("this is not wasm"u8.ToArray(), limits: Small);
        Assert.Equal(RunOutcome.InvalidModule, result.Outcome);
    }

    [Fact]
    public async Task A_pointer_outside_memory_gets_an_error_code_not_a_host_crash()
    {
        var result = await sandbox.RunAsync("bad-pointer", limits: Small);
        Assert.Equal(RunOutcome.NonZeroExit, result.Outcome);
        Assert.Equal(21, result.ExitCode);
    }

    [Theory]
    [InlineData(0, RunOutcome.Succeeded)]
    [InlineData(3, RunOutcome.NonZeroExit)]
    [InlineData(200, RunOutcome.NonZeroExit)]
    public async Task Exit_codes_are_reported_exactly(byte code, RunOutcome outcome)
    {
        var result = await sandbox.RunAsync("exit-with-input", [code], limits: Small);
        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(code, result.ExitCode);
    }

    [Fact]
    public async Task Hostile_runs_leave_the_sandbox_working()
    {
        await Task.WhenAll(
            sandbox.RunAsync("memory-bomb", limits: Small),
            sandbox.RunAsync("deep-recursion", limits: Small),
            sandbox.RunAsync("endless-writer", limits: Small),
            sandbox.RunAsync("infinite-loop", limits: Small));
        var result = await sandbox.RunAsync("echo", "still here"u8.ToArray(), limits: Small);
        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal("echo:still here", System.Text.Encoding.UTF8.GetString(result.Output));
    }
}
