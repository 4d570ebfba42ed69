using CsCheck;
using Gstd.Grains.Ledger;

namespace Gstd.UnitTests.Ledger;

public sealed class FeesTests
{
    [Theory]
    [InlineData(500_000_000, 500, 25_000_000)]
    [InlineData(1, 500, 1)]
    [InlineData(19, 500, 1)]
    [InlineData(20, 500, 1)]
    [InlineData(21, 500, 2)]
    [InlineData(1_000, 0, 0)]
    public void Fee_is_the_ceiling_of_price_times_rate(long price, int bps, long fee)
    {
        Assert.Equal(fee, Fees.Fee(price, bps));
    }

    [Fact]
    public void Fee_never_overflows_and_is_never_short()
    {
        Gen.Select(Gen.Long[0, long.MaxValue / 2], Gen.Int[0, 10_000]).Sample((price, bps) =>
        {
            var fee = Fees.Fee(price, bps);
            var exact = (System.Numerics.BigInteger)price * bps;
            Assert.True(fee * (System.Numerics.BigInteger)10_000 >= exact);
            Assert.True((fee - 1) * (System.Numerics.BigInteger)10_000 < exact || fee == 0);
        });
    }

    [Fact]
    public void A_split_always_pays_out_the_whole_escrow_and_nothing_negative()
    {
        Gen.Select(Gen.Long[1, 1_000_000_000_000_000], Gen.Int[0, 10_000], Gen.Int[0, 10_000]).Sample((price, feeBps, share) =>
        {
            var fee = Fees.Fee(price, feeBps);
            var split = Fees.Split(price + fee, price, fee, share);
            Assert.Equal(price + fee, split.ToWorker + split.ToPlatform + split.ToClient);
            Assert.True(split.ToWorker >= 0 && split.ToPlatform >= 0 && split.ToClient >= 0);
            Assert.True(split.ToWorker <= price && split.ToPlatform <= fee);
        });
    }

    [Fact]
    public void Full_and_zero_shares_are_release_and_refund()
    {
        var release = Fees.Split(105, 100, 5, 10_000);
        Assert.Equal(new SplitAmounts(100, 5, 0), release);
        var refund = Fees.Split(105, 100, 5, 0);
        Assert.Equal(new SplitAmounts(0, 0, 105), refund);
    }

    [Fact]
    public void A_split_among_the_accepted_replicas_pays_out_the_whole_escrow()
    {
        Gen.Select(Gen.Long[1, 1_000_000_000_000], Gen.Int[1, 5], Gen.Int[0, 10_000], Gen.Int[0, 10_000]).Sample((price, replicas, feeBps, share) =>
        {
            var fee = Fees.Fee(price * replicas, feeBps);
            var escrow = (price * replicas) + fee;
            for (var paid = 0; paid <= replicas; paid++)
            {
                var split = Fees.Split(escrow, price, fee, share, paid);
                Assert.Equal(escrow, (split.ToWorker * paid) + split.ToPlatform + split.ToClient);
                Assert.True(split.ToWorker >= 0 && split.ToPlatform >= 0 && split.ToClient >= 0);
                Assert.True(split.ToClient >= price * (replicas - paid), "The client always gets back the price of replicas nobody is paid for.");
            }
        });
    }
}
