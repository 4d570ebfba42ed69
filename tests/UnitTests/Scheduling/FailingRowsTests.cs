using Gstd.Grains.Scheduling;

namespace Gstd.UnitTests.Scheduling;

public sealed class FailingRowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_failing_row_is_left_out_for_a_while_that_doubles_up_to_five_minutes()
    {
        var rows = new FailingRows();
        var waits = Enumerable.Range(0, 12).Select(_ => rows.Failed("tsk_a", Start) - Start).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300], waits.Select(w => w.TotalSeconds));
        Assert.Equal(["tsk_a"], rows.Skipped(Start + TimeSpan.FromSeconds(299)));
        Assert.Empty(rows.Skipped(Start + TimeSpan.FromSeconds(300)));
    }

    [Fact]
    public void A_row_that_wakes_again_starts_over()
    {
        var rows = new FailingRows();
        rows.Failed("tsk_a", Start);
        rows.Failed("tsk_a", Start);
        rows.Succeeded("tsk_a");

        Assert.Empty(rows.Skipped(Start));
        Assert.Equal(TimeSpan.FromSeconds(1), rows.Failed("tsk_a", Start) - Start);
    }

    [Fact]
    public void At_most_capacity_rows_are_left_out_and_the_soonest_due_go_back_first()
    {
        var rows = new FailingRows();
        for (var i = 0; i <= FailingRows.Capacity; i++)
        {
            rows.Failed($"tsk_{i}", Start + TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(FailingRows.Capacity, rows.Count);
        Assert.DoesNotContain("tsk_0", rows.Skipped(Start));
        Assert.Contains($"tsk_{FailingRows.Capacity}", rows.Skipped(Start));
    }
}
