using CsCheck;
using Gstd.Grains.Balancing;
using Gstd.Grains.Trust;

namespace Gstd.UnitTests.Balancing;

public sealed class WeightedBalancerTests
{
    private static readonly string[] None = [];

    [Fact]
    public void Shares_converge_to_the_weights_of_trust()
    {
        Gen.Double[0.05, 1].Array[2, 30].Sample(trusts =>
        {
            var balancer = new WeightedBalancer();
            for (var i = 0; i < trusts.Length; i++)
            {
                balancer.Upsert("w" + i, trusts[i], 1);
            }

            var picks = 400 * trusts.Length;
            var counts = new Dictionary<string, int>();
            for (var n = 0; n < picks; n++)
            {
                var id = balancer.Choose(0, None)!;
                counts[id] = counts.GetValueOrDefault(id) + 1;
                // The lease ends at once: capacity never runs out.
                balancer.Upsert(id, trusts[int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)], 1);
            }

            var total = trusts.Sum(TrustModel.Weight);
            for (var i = 0; i < trusts.Length; i++)
            {
                var expected = picks * TrustModel.Weight(trusts[i]) / total;
                Assert.InRange(counts.GetValueOrDefault("w" + i), expected - 2 - (0.01 * expected), expected + 2 + (0.01 * expected));
            }
        }, iter: 50);
    }

    [Fact]
    public void A_choice_never_goes_below_the_tasks_minimum_trust()
    {
        Gen.Select(Gen.Double[0, 1].Array[1, 40], Gen.Double[0, 1].Array[1, 40]).Sample((trusts, minimums) =>
        {
            var balancer = new WeightedBalancer();
            for (var i = 0; i < trusts.Length; i++)
            {
                balancer.Upsert("w" + i, trusts[i], 3);
            }

            foreach (var minimum in minimums)
            {
                var id = balancer.Choose(minimum, None);
                var anyTrusted = Enumerable.Range(0, trusts.Length).Any(i => trusts[i] >= minimum && balancer.FreeSlotsOf("w" + i) > 0);
                if (id is null)
                {
                    Assert.False(anyTrusted);
                }
                else
                {
                    Assert.True(trusts[int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)] >= minimum);
                }
            }
        });
    }

    [Fact]
    public void A_retry_avoids_the_worker_that_failed_it_while_another_is_eligible()
    {
        Gen.Select(Gen.Double[0.1, 1].Array[1, 20], Gen.Int[0, 19].Array[0, 5], Gen.Double[0, 0.5]).Sample((trusts, avoidIndexes, minimum) =>
        {
            var balancer = new WeightedBalancer();
            for (var i = 0; i < trusts.Length; i++)
            {
                balancer.Upsert("w" + i, trusts[i], 1);
            }

            // Repeats in the list (a worker that failed the task twice) must not disturb the tree.
            var avoid = avoidIndexes.Where(i => i < trusts.Length).Select(i => "w" + i).ToList();
            var othersEligible = Enumerable.Range(0, trusts.Length).Any(i => trusts[i] >= minimum && !avoid.Contains("w" + i));
            var id = balancer.Choose(minimum, avoid);
            if (othersEligible)
            {
                Assert.DoesNotContain(id, avoid);
            }
            else if (avoid.Any(a => trusts[int.Parse(a[1..], System.Globalization.CultureInfo.InvariantCulture)] >= minimum))
            {
                Assert.Contains(id, avoid);
            }

            var ready = Enumerable.Range(0, trusts.Length).Count(i => balancer.FreeSlotsOf("w" + i) > 0);
            Assert.Equal(ready, balancer.ReadyCount);
            Assert.Equal(ready == 0 ? 0 : Enumerable.Range(0, trusts.Length).Where(i => balancer.FreeSlotsOf("w" + i) > 0).Max(i => trusts[i]), balancer.MaxReadyTrust);
        });
    }

    [Fact]
    public void A_full_worker_is_not_chosen_until_it_announces_a_free_slot()
    {
        var balancer = new WeightedBalancer();
        balancer.Upsert("a", 0.9, 1);
        Assert.Equal("a", balancer.Choose(0, None));
        Assert.Null(balancer.Choose(0, None));
        Assert.True(balancer.Upsert("a", 0.9, 1));
        Assert.Equal("a", balancer.Choose(0, None));
    }

    [Fact]
    public void A_refusal_takes_the_worker_out_until_it_announces_again()
    {
        var balancer = new WeightedBalancer();
        balancer.Upsert("a", 0.9, 5);
        balancer.Refused("a");
        Assert.Equal(0, balancer.ReadyCount);
        Assert.Null(balancer.Choose(0, None));
        Assert.False(balancer.Upsert("a", 0.9, 0));
        Assert.True(balancer.Upsert("a", 0.9, 2));
        Assert.Equal("a", balancer.Choose(0, None));
    }

    [Fact]
    public void A_worker_back_from_being_full_gets_no_burst_of_work()
    {
        var balancer = new WeightedBalancer();
        balancer.Upsert("a", 0.8, 1);
        balancer.Upsert("b", 0.8, 1000);
        Assert.Equal("a", balancer.Choose(0, None));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("b", balancer.Choose(0, None));
        }

        balancer.Upsert("a", 0.8, 1000);
        var picks = Enumerable.Range(0, 10).Select(_ => balancer.Choose(0, None)).ToList();
        Assert.InRange(picks.Count(p => p == "a"), 4, 6);
    }

    [Fact]
    public void An_excluded_worker_is_never_chosen_while_an_avoided_one_is_when_nobody_else_can()
    {
        Gen.Int[1, 6].Select(Gen.Int[0, 5], Gen.Int[0, 5]).Sample((workers, excluded, avoided) =>
        {
            var balancer = new WeightedBalancer();
            for (var i = 0; i < workers; i++)
            {
                balancer.Upsert("w" + i, 0.5, 1);
            }

            var exclude = new[] { "w" + excluded };
            var avoid = new[] { "w" + avoided };
            var picks = new List<string>();
            while (balancer.Choose(0, avoid, exclude) is { } pick)
            {
                picks.Add(pick);
            }

            // Every worker with a free slot is used up, in any order, except the excluded one.
            Assert.Equal(Enumerable.Range(0, workers).Select(i => "w" + i).Where(w => w != exclude[0]).Order(), picks.Order());
            if (picks.Contains(avoid[0]))
            {
                Assert.Equal(avoid[0], picks[^1]);
            }
        });
    }
}
