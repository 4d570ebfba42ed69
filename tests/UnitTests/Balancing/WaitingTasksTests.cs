using CsCheck;
using Gstd.Grains.Balancing;
using Gstd.Workers;

namespace Gstd.UnitTests.Balancing;

public sealed class WaitingTasksTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Higher_priority_goes_first_among_tasks_queued_together_then_the_oldest()
    {
        var waiting = new WaitingTasks();
        waiting.Add(new PoolTask("low", 0, 0, Start, []));
        waiting.Add(new PoolTask("high", 9, 0, Start.AddSeconds(1), []));
        waiting.Add(new PoolTask("mid-old", 5, 0, Start, []));
        waiting.Add(new PoolTask("mid-new", 5, 0, Start.AddSeconds(2), []));
        Assert.Equal(["high", "mid-old", "mid-new", "low"], waiting.InOrder().Select(t => t.TaskId));
    }

    [Fact]
    public void Aging_lets_a_low_priority_task_ahead_of_any_higher_one_queued_long_enough_after_it()
    {
        var task = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 1_000_000]);
        task.Array[2, 60].Sample(tasks =>
        {
            var waiting = new WaitingTasks();
            var pool = tasks.Select((t, i) => new PoolTask("t" + i, t.Item1, 0, Start.AddMilliseconds(t.Item2), [])).ToList();
            pool.ForEach(waiting.Add);
            var order = waiting.InOrder().Select(t => t.TaskId).ToList();
            foreach (var a in pool)
            {
                foreach (var b in pool)
                {
                    // b outranks a by (b.Priority - a.Priority) levels but came more than that many steps later.
                    if (b.QueuedAt - a.QueuedAt > (b.Priority - a.Priority) * WaitingTasks.AgingStep)
                    {
                        Assert.True(order.IndexOf(a.TaskId) < order.IndexOf(b.TaskId));
                    }
                }
            }
        });
    }

    [Fact]
    public void Walking_after_a_cursor_visits_every_task_once_in_order_even_as_tasks_leave()
    {
        var waiting = new WaitingTasks();
        for (var i = 0; i < 10; i++)
        {
            waiting.Add(new PoolTask("t" + i, i % 3, 0, Start.AddSeconds(i), []));
        }

        var expected = waiting.InOrder().Select(t => t.TaskId).ToList();
        var seen = new List<string>();
        for (var task = waiting.After(null); task is not null; task = waiting.After(task))
        {
            seen.Add(task.TaskId);
            waiting.Remove(task.TaskId);
        }

        Assert.Equal(expected, seen);
        Assert.Equal(0, waiting.Count);
    }

    [Fact]
    public void A_walk_for_the_trust_at_hand_visits_exactly_the_tasks_asking_no_more_in_the_same_order()
    {
        var task = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 10_000], Gen.Int[0, 10]);
        Gen.Select(task.Array[0, 40], Gen.Int[0, 10]).Sample((tasks, max) =>
        {
            var waiting = new WaitingTasks();
            tasks.Select((t, i) => new PoolTask("t" + i, t.Item1, t.Item3 / 10.0, Start.AddMilliseconds(t.Item2), [])).ToList().ForEach(waiting.Add);
            var maxTrust = max / 10.0;
            var seen = new List<string>();
            for (var next = waiting.After(null, maxTrust); next is not null; next = waiting.After(next, maxTrust))
            {
                seen.Add(next.TaskId);
            }

            Assert.Equal(waiting.InOrder().Where(t => t.MinTrust <= maxTrust).Select(t => t.TaskId), seen);
        });
    }
}
