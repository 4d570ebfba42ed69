using CsCheck;
using Gstd.Grains.Balancing;

namespace Gstd.UnitTests.Balancing;

public sealed class ReadyWorkersTests
{
    [Fact]
    public void Smallest_is_the_earliest_pass_among_workers_trusted_enough_after_any_adds_and_removes()
    {
        var operation = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 39], Gen.Int[0, 20], Gen.Int[0, 1000]);
        Gen.Select(operation.Array[1, 200], Gen.Int[0, 20]).Sample((operations, threshold) =>
        {
            var tree = new ReadyWorkers();
            var present = new Dictionary<int, BalancedWorker>();
            foreach (var (kind, id, trust, pass) in operations)
            {
                if (kind < 2 && !present.ContainsKey(id))
                {
                    var worker = new BalancedWorker("w" + id, id) { Trust = trust / 20.0, Pass = pass, FreeSlots = 1 };
                    tree.Add(worker);
                    present[id] = worker;
                }
                else if (kind == 2 && present.Remove(id, out var gone))
                {
                    tree.Remove(gone);
                }

                var minTrust = threshold / 20.0;
                var expected = present.Values.Where(w => w.Trust >= minTrust).OrderBy(w => w.Pass).ThenBy(w => w.Order).FirstOrDefault();
                Assert.Same(expected, tree.Smallest(minTrust));
                Assert.Equal(present.Count, tree.Count);
            }
        });
    }

    [Fact]
    public void Nothing_qualifies_above_every_workers_trust()
    {
        var tree = new ReadyWorkers();
        tree.Add(new BalancedWorker("a", 0) { Trust = 0.4, Pass = 1, FreeSlots = 1 });
        tree.Add(new BalancedWorker("b", 1) { Trust = 0.6, Pass = 2, FreeSlots = 1 });
        Assert.Null(tree.Smallest(0.61));
        Assert.Equal("b", tree.Smallest(0.6)!.Id);
        Assert.Equal("a", tree.Smallest(0)!.Id);
    }
}
