using CsCheck;
using Gstd.Grains.Balancing;
using Gstd.Tasks;
using Gstd.Workers;

namespace Gstd.UnitTests.Balancing;

/// <summary>
/// The pool decides on a stale picture (announcements arrive late and out of order) while workers join, leave,
/// change capacity and finish work; the worker's own slots are the authority and are never over capacity.
/// </summary>
public sealed class CapacityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] None = [];

    private static TaskOffer Offer(string taskId, long lease) => new(taskId, lease, "m", "i", TaskSpec.Default, "s", 0, Now, null, false);

    [Fact]
    public void No_worker_ever_grants_more_slots_than_its_capacity_under_any_interleaving()
    {
        var step = Gen.Select(Gen.Int[0, 6], Gen.Int[0, 7], Gen.Int[1, 4]);
        step.Array[1, 300].Sample(steps =>
        {
            var balancer = new WeightedBalancer();
            var workers = new Dictionary<string, WorkerSlots>();
            var announcements = new List<(string Id, int Free)>();
            var lease = 0L;
            foreach (var (kind, index, amount) in steps)
            {
                var id = "w" + index;
                switch (kind)
                {
                    case 0 when !workers.ContainsKey(id):
                        workers[id] = new WorkerSlots(amount);
                        announcements.Add((id, amount));
                        break;
                    case 1 when workers.Remove(id):
                        balancer.Remove(id);
                        break;
                    case 2 when workers.TryGetValue(id, out var changed):
                        changed.Capacity = amount;
                        announcements.Add((id, changed.Free));
                        break;
                    case 3:
                        // A decision: choose on the picture, reserve at the worker, try the next on a refusal.
                        while (balancer.Choose(0, None) is { } chosen)
                        {
                            if (workers.TryGetValue(chosen, out var slots) && slots.TryReserve("task" + ++lease, Now))
                            {
                                slots.Hold(new TaskOffer("task" + lease, lease, "m", "i", TaskSpec.Default, "s", 0, Now, null, false), Now);
                                Assert.True(slots.Count <= slots.Capacity, "a reservation was granted over capacity");
                                announcements.Add((chosen, slots.Free));
                                break;
                            }

                            balancer.Refused(chosen);
                        }

                        break;
                    case 4 when workers.TryGetValue(id, out var busy) && busy.Offers.FirstOrDefault() is { } held:
                        busy.End(held.TaskId, held.Lease);
                        announcements.Add((id, busy.Free));
                        break;
                    case 5 when announcements.Count > 0:
                        // Deliver an announcement, not necessarily the oldest: the picture can go backwards.
                        var at = amount % announcements.Count;
                        var (announced, free) = announcements[at];
                        announcements.RemoveAt(at);
                        if (workers.ContainsKey(announced))
                        {
                            balancer.Upsert(announced, 0.5 + (index / 20.0), free);
                        }

                        break;
                }
            }
        });
    }

    [Fact]
    public void A_reservation_nobody_confirms_lapses_and_frees_its_slot()
    {
        var slots = new WorkerSlots(1);
        Assert.True(slots.TryReserve("a", Now));
        Assert.False(slots.TryReserve("b", Now));
        Assert.Equal(0, slots.ExpireReservations(Now.AddSeconds(5), TimeSpan.FromSeconds(15)));
        Assert.Equal(1, slots.ExpireReservations(Now.AddSeconds(16), TimeSpan.FromSeconds(15)));
        Assert.True(slots.TryReserve("b", Now));
    }

    [Fact]
    public void Resync_frees_leases_that_ended_unheard_takes_missed_ones_and_keeps_reservations()
    {
        var slots = new WorkerSlots(4);
        slots.Hold(Offer("ended", 1), Now);
        slots.Hold(Offer("kept", 2), Now);
        slots.TryReserve("reserved", Now);

        var missing = slots.Resync([Offer("kept", 2), Offer("missed", 7)], Now);

        Assert.Equal(["missed"], missing.Select(o => o.TaskId));
        Assert.Equal(["kept", "missed"], slots.Offers.Select(o => o.TaskId).Order());
        Assert.Equal(3, slots.Count);
        Assert.True(slots.End("reserved", 0).Freed);
    }

    [Fact]
    public void Lease_zero_frees_a_reservation_but_never_a_held_lease()
    {
        var slots = new WorkerSlots(2);
        slots.TryReserve("a", Now);
        slots.Hold(new TaskOffer("a", 3, "m", "i", TaskSpec.Default, "s", 0, Now, null, false), Now);
        Assert.False(slots.End("a", 0).Freed);
        Assert.False(slots.End("a", 2).Freed);
        Assert.True(slots.End("a", 3).Freed);
        slots.TryReserve("b", Now);
        Assert.True(slots.End("b", 0).Freed);
        Assert.Equal(0, slots.Count);
    }
}
