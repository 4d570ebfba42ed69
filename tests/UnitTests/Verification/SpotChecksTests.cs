using CsCheck;
using Gstd.Grains.Verification;

namespace Gstd.UnitTests.Verification;

public sealed class SpotChecksTests
{
    private static readonly VerificationOptions Options = new() { TrustedAfter = 5, SampleRate = 0.02 };

    [Fact]
    public void Every_result_of_an_account_without_a_run_of_verified_results_is_checked()
    {
        Gen.Select(Gen.Int[0, 4], Gen.String).Sample((streak, taskId) => Assert.True(SpotChecks.ShouldCheck(streak, taskId, Options)));
    }

    [Fact]
    public void A_trusted_account_is_sampled_at_the_configured_rate_the_same_way_for_the_same_task()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"tsk_{i}").ToList();
        var sampled = ids.Count(id => SpotChecks.ShouldCheck(5, id, Options));

        Assert.InRange(sampled, 300, 500);
        Assert.All(ids.Take(200), id => Assert.Equal(SpotChecks.ShouldCheck(9, id, Options), SpotChecks.ShouldCheck(9, id, Options)));
        Assert.DoesNotContain(ids, id => SpotChecks.ShouldCheck(5, id, new VerificationOptions { TrustedAfter = 5, SampleRate = 0 }));
    }
}
