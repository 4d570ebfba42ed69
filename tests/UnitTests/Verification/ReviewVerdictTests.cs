using Gstd.Disputes;
using Gstd.Grains.Disputes;

namespace Gstd.UnitTests.Verification;

public sealed class ReviewVerdictTests
{
    private const string Submitted = "aaaa";

    [Theory]
    [InlineData(new string[0], ReviewStep.Execute)]
    [InlineData(new[] { "Succeeded:aaaa" }, ReviewStep.Release)]
    [InlineData(new[] { "Succeeded:bbbb" }, ReviewStep.Execute)]
    [InlineData(new[] { "Succeeded:bbbb", "Succeeded:bbbb" }, ReviewStep.Refund)]
    [InlineData(new[] { "Trapped", "Trapped" }, ReviewStep.Refund)]
    [InlineData(new[] { "Succeeded:bbbb", "Succeeded:cccc" }, ReviewStep.Escalate)]
    [InlineData(new[] { "Succeeded:bbbb", "Succeeded:aaaa" }, ReviewStep.Escalate)]
    [InlineData(new[] { "OutOfFuel" }, ReviewStep.Escalate)]
    [InlineData(new[] { "TimedOut" }, ReviewStep.Escalate)]
    [InlineData(new[] { "Succeeded:bbbb", "MemoryLimit" }, ReviewStep.Escalate)]
    public void The_review_releases_on_a_match_refunds_on_a_confirmed_mismatch_and_escalates_what_it_cannot_tell(string[] runs, ReviewStep expected)
    {
        var verdict = ReviewVerdict.Next(Submitted, runs.Select(Run).ToList());

        Assert.Equal(expected, verdict.Step);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Note));
    }

    private static ExecutionReport Run(string run, int index)
    {
        var parts = run.Split(':');
        return new ExecutionReport(index + 1, DateTimeOffset.UnixEpoch, parts[0], parts.Length > 1 ? parts[1] : null, 0, [], 0, 0, null);
    }
}
