using CsCheck;
using Gstd.Grains.Verification;

namespace Gstd.UnitTests.Verification;

public sealed class SpotChecksTests
{
    private static readonly VerificationOptions Options = new() { TrustedAfter = 5, SampleRate = 0.02 };

    [Fact]
    public void Every_result_of_an_account_without_a_run_of_verified_results_is_checked()
    {
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 0.999999]).Sample((streak, draw) => Assert.True(SpotChecks.ShouldCheck(streak, Options, draw)));
    }

    [Fact]
    public void A_trusted_account_is_checked_exactly_when_the_draw_falls_under_the_sample_rate()
    {
        Gen.Select(Gen.Int[5, 1_000], Gen.Double[0, 0.999999]).Sample((streak, draw) =>
            Assert.Equal(draw < 0.02, SpotChecks.ShouldCheck(streak, Options, draw)));
        Assert.False(SpotChecks.ShouldCheck(5, new VerificationOptions { TrustedAfter = 5, SampleRate = 0 }, 0));
    }
}
