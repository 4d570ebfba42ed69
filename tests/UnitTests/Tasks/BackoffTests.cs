using CsCheck;
using Gstd.Grains.Tasks;

namespace Gstd.UnitTests.Tasks;

public sealed class BackoffTests
{
    [Fact]
    public void Failures_wait_1_5_then_30_seconds_each_within_20_percent()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 30], Gen.Int[1, 12]).Sample((taskId, failures) =>
        {
            var step = failures switch { 1 => 1.0, 2 => 5.0, _ => 30.0 };
            var delay = Backoff.Delay(taskId, failures).TotalSeconds;
            Assert.InRange(delay, step * 0.8, step * 1.2);
        });
    }

    [Fact]
    public void A_tasks_schedule_is_repeatable_and_tasks_that_failed_together_spread_out()
    {
        Assert.Equal(Backoff.Delay("tsk_a", 2), Backoff.Delay("tsk_a", 2));
        var delays = Enumerable.Range(0, 200).Select(i => Backoff.Delay($"tsk_{i}", 3).TotalSeconds).ToList();
        Assert.True(delays.Max() - delays.Min() > 10, "200 tasks failing at once should not all retry in the same instant");
        Assert.InRange(delays.Average(), 28.5, 31.5);
    }
}
