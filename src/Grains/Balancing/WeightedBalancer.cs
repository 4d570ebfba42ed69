using Gstd.Grains.Trust;

namespace Gstd.Grains.Balancing;

/// <summary>
/// Smooth weighted round-robin in its earliest-deadline-first form (stride scheduling): each worker advances a
/// virtual clock by 1/weight per pick and the smallest clock goes next, which gives nginx's smooth interleaving
/// and exact long-run shares while one choice costs O(log n). Hard filters: free slots (only ready workers are
/// in the tree), trust ≥ the task's minimum, and — while anyone else qualifies — not a worker the task avoids.
/// </summary>
public sealed class WeightedBalancer
{
    /// <summary>The rise in trust that counts as a gain for waiting tasks.</summary>
    public const double TrustGain = 0.005;

    private readonly Dictionary<string, BalancedWorker> _workers = new(StringComparer.Ordinal);
    private readonly ReadyWorkers _ready = new();
    private double _virtualTime;
    private long _joined;

    public int Count => _workers.Count;

    /// <summary>Workers with at least one free slot.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>The highest trust among workers with a free slot (0 when none): a task asking for more waits.</summary>
    public double MaxReadyTrust => _ready.MaxTrust;

    public int FreeSlotsOf(string workerId) => _workers.TryGetValue(workerId, out var worker) ? worker.FreeSlots : 0;

    /// <summary>
    /// Adds or refreshes a worker. Answers whether it can now take work it could not before (it is new, gained
    /// slots or trust), which is when waiting tasks deserve another look.
    /// </summary>
    public bool Upsert(string workerId, double trust, int freeSlots)
    {
        freeSlots = Math.Max(0, freeSlots);
        if (!_workers.TryGetValue(workerId, out var worker))
        {
            worker = new BalancedWorker(workerId, _joined++) { Trust = trust, Stride = 1 / TrustModel.Weight(trust), FreeSlots = freeSlots };
            // A newcomer's first pick is one stride after the current virtual time, as if it had just been picked.
            worker.Pass = _virtualTime + worker.Stride;
            _workers[workerId] = worker;
            Enter(worker);
            return worker.IsReady;
        }

        // Trust drifts a little on every announcement (decay); only a real rise is worth another look at waiting tasks.
        var gained = freeSlots > worker.FreeSlots || trust >= worker.Trust + TrustGain;
        var wasReady = worker.IsReady;
        if (wasReady)
        {
            _ready.Remove(worker);
        }

        worker.Trust = trust;
        worker.Stride = 1 / TrustModel.Weight(trust);
        worker.FreeSlots = freeSlots;
        if (!wasReady)
        {
            // Time spent full or away earns no credit: it rejoins at the current virtual time.
            worker.Pass = Math.Max(worker.Pass, _virtualTime);
        }

        Enter(worker);
        return gained && worker.IsReady;
    }

    public void Remove(string workerId)
    {
        if (_workers.Remove(workerId, out var worker) && worker.IsReady)
        {
            _ready.Remove(worker);
        }
    }

    /// <summary>
    /// Picks the next worker for a task and takes one of its slots in this picture; null when no worker with a
    /// free slot has the trust. Workers in <paramref name="avoid"/> are chosen only when nobody else qualifies;
    /// workers in <paramref name="exclude"/> never (a replica must run on a worker that has not run the task).
    /// </summary>
    public string? Choose(double minTrust, IReadOnlyCollection<string> avoid, IReadOnlyCollection<string>? exclude = null)
    {
        exclude ??= [];
        var pick = avoid.Count == 0 && exclude.Count == 0 ? _ready.Smallest(minTrust) : SmallestAvoiding(minTrust, avoid, exclude);
        if (pick is null)
        {
            return null;
        }

        _ready.Remove(pick);
        _virtualTime = Math.Max(_virtualTime, pick.Pass);
        pick.Pass += pick.Stride;
        pick.FreeSlots--;
        Enter(pick);
        return pick.Id;
    }

    /// <summary>The earliest qualifying worker outside both lists; one on the avoid list only when nobody else qualifies.</summary>
    private BalancedWorker? SmallestAvoiding(double minTrust, IReadOnlyCollection<string> avoid, IReadOnlyCollection<string> exclude)
    {
        var aside = new HashSet<string>(StringComparer.Ordinal);
        var excluded = SetAside(exclude, aside);
        var avoided = SetAside(avoid, aside);
        var pick = _ready.Smallest(minTrust);
        avoided.ForEach(_ready.Add);
        pick ??= avoided.Count > 0 ? _ready.Smallest(minTrust) : null;
        excluded.ForEach(_ready.Add);
        return pick;
    }

    private List<BalancedWorker> SetAside(IEnumerable<string> ids, HashSet<string> aside)
    {
        var setAside = new List<BalancedWorker>();
        foreach (var id in ids)
        {
            if (aside.Add(id) && _workers.TryGetValue(id, out var worker) && worker.IsReady)
            {
                _ready.Remove(worker);
                setAside.Add(worker);
            }
        }

        return setAside;
    }

    /// <summary>The worker refused a reservation: whatever this picture thought, it has no free slot.</summary>
    public void Refused(string workerId)
    {
        if (_workers.TryGetValue(workerId, out var worker) && worker.IsReady)
        {
            _ready.Remove(worker);
            worker.FreeSlots = 0;
        }
    }

    private void Enter(BalancedWorker worker)
    {
        if (worker.IsReady)
        {
            _ready.Add(worker);
        }
    }
}
