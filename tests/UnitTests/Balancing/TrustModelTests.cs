using CsCheck;
using Gstd.Grains.Balancing;
using Gstd.Grains.Trust;
using Gstd.Trust;

namespace Gstd.UnitTests.Balancing;

public sealed class TrustModelTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_account_starts_at_the_prior_and_gets_work()
    {
        var standing = TrustModel.Initial(Start);
        Assert.Equal(TrustModel.Prior, TrustModel.Score(standing));
        Assert.True(TrustModel.ReceivesWork(standing));
    }

    [Fact]
    public void Trust_is_slow_to_earn_and_fast_to_lose()
    {
        var standing = TrustModel.Initial(Start);
        for (var i = 0; i < 40; i++)
        {
            standing = TrustModel.Apply(standing, TrustEvent.Succeeded, Start);
        }

        var earned = TrustModel.Score(standing);
        Assert.InRange(earned, 0.89, 0.91);
        var gain = TrustModel.Score(TrustModel.Apply(standing, TrustEvent.Succeeded, Start)) - earned;
        var loss = earned - TrustModel.Score(TrustModel.Apply(standing, TrustEvent.LostLease, Start));
        Assert.True(loss > 10 * gain, $"one lost lease costs {loss:F4}, one success earns {gain:F4}");
    }

    [Fact]
    public void Trust_stays_in_the_unit_interval_and_every_failure_lowers_it_every_success_raises_it()
    {
        var kind = Gen.Enum<TrustEvent>();
        Gen.Select(kind.Array[0, 200], Gen.Int[0, 60 * 24 * 60]).Sample((events, minutesApart) =>
        {
            var standing = TrustModel.Initial(Start);
            var now = Start;
            foreach (var e in events)
            {
                var before = TrustModel.Score(TrustModel.Decay(standing, now));
                standing = TrustModel.Apply(standing, e, now);
                var after = TrustModel.Score(standing);
                Assert.InRange(after, 0, 1);
                Assert.True(e == TrustEvent.Succeeded ? after >= before : after < before);
                now = now.AddMinutes(minutesApart);
            }
        });
    }

    [Fact]
    public void Below_the_floor_with_enough_history_an_account_gets_no_work_and_idleness_brings_it_back_on_probation()
    {
        var standing = TrustModel.Initial(Start);
        standing = TrustModel.Apply(standing, TrustEvent.LostLease, Start);
        standing = TrustModel.Apply(standing, TrustEvent.LostLease, Start);
        Assert.True(TrustModel.ReceivesWork(standing));
        standing = TrustModel.Apply(standing, TrustEvent.LostLease, Start);
        Assert.True(TrustModel.Score(standing) < TrustModel.Floor);
        Assert.False(TrustModel.ReceivesWork(standing));

        var later = TrustModel.Decay(standing, Start + TrustModel.HalfLife);
        Assert.True(TrustModel.ReceivesWork(later));
        Assert.True(TrustModel.Score(later) > TrustModel.Score(standing));
    }

    [Fact]
    public void Weight_grows_with_trust_and_is_never_zero()
    {
        Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1]).Sample((a, b) =>
        {
            Assert.True(TrustModel.Weight(a) > 0);
            if (a < b)
            {
                Assert.True(TrustModel.Weight(a) <= TrustModel.Weight(b));
            }
        });
    }
}
