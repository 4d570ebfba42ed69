using Gstd.Workers;

namespace Gstd.Grains.Balancing;

/// <summary>
/// A worker's slots: reservations the pool made (no offer yet) and the offers and leases of its tasks. This is
/// the authority on capacity: a reservation is granted only below capacity. A reservation the task never
/// confirms (its assignment was lost) lapses, so a lost message cannot leak a slot.
/// </summary>
public sealed class WorkerSlots(int capacity)
{
    private readonly Dictionary<string, (TaskOffer? Offer, DateTimeOffset ReservedAt)> _slots = new(StringComparer.Ordinal);

    public int Capacity { get; set; } = capacity;

    public int Count => _slots.Count;

    public int Free => Math.Max(0, Capacity - _slots.Count);

    public IEnumerable<TaskOffer> Offers => _slots.Values.Select(s => s.Offer).OfType<TaskOffer>();

    /// <summary>Takes a slot for the task when one is free; a task holding a slot here already keeps that one.</summary>
    public bool TryReserve(string taskId, DateTimeOffset now)
    {
        if (_slots.ContainsKey(taskId))
        {
            return true;
        }

        if (_slots.Count >= Capacity)
        {
            return false;
        }

        _slots[taskId] = (null, now);
        return true;
    }

    /// <summary>
    /// Records the task's offer or lease. The task committed it after the database checked the worker's
    /// capacity, so it is held even when this picture (say, a fresh activation) did not expect it.
    /// </summary>
    public void Hold(TaskOffer offer, DateTimeOffset now) =>
        _slots[offer.TaskId] = (offer, _slots.TryGetValue(offer.TaskId, out var slot) ? slot.ReservedAt : now);

    /// <summary>
    /// Frees the task's slot if it is still only a reservation or holds <paramref name="lease"/> (so lease 0,
    /// which no offer carries, frees a reservation and nothing else). Answers the offer that was held, if any, and whether anything was freed.
    /// </summary>
    public (bool Freed, TaskOffer? Offer) End(string taskId, long lease)
    {
        if (!_slots.TryGetValue(taskId, out var slot))
        {
            return (false, null);
        }

        if (slot.Offer is not null && slot.Offer.Lease != lease)
        {
            return (false, null);
        }

        _slots.Remove(taskId);
        return (true, slot.Offer);
    }

    /// <summary>
    /// Brings the held slots in line with the leases the tasks table shows (<paramref name="held"/>): a slot
    /// whose lease ended without word (the message was lost with a silo) is freed, a lease this picture missed
    /// is taken; reservations are kept. Answers the offers that were missing, to push to the agent.
    /// </summary>
    public IReadOnlyList<TaskOffer> Resync(IReadOnlyCollection<TaskOffer> held, DateTimeOffset now)
    {
        var truth = held.ToDictionary(o => o.TaskId, StringComparer.Ordinal);
        foreach (var gone in _slots.Where(s => s.Value.Offer is not null && !truth.ContainsKey(s.Key)).Select(s => s.Key).ToList())
        {
            _slots.Remove(gone);
        }

        var missing = new List<TaskOffer>();
        foreach (var offer in held)
        {
            if (!_slots.TryGetValue(offer.TaskId, out var slot) || slot.Offer is null || slot.Offer.Lease != offer.Lease)
            {
                missing.Add(offer);
            }

            Hold(offer, now);
        }

        return missing;
    }

    /// <summary>Drops reservations older than <paramref name="window"/> that no offer confirmed; answers how many.</summary>
    public int ExpireReservations(DateTimeOffset now, TimeSpan window)
    {
        var lapsed = _slots.Where(s => s.Value.Offer is null && now - s.Value.ReservedAt > window).Select(s => s.Key).ToList();
        foreach (var taskId in lapsed)
        {
            _slots.Remove(taskId);
        }

        return lapsed.Count;
    }
}
