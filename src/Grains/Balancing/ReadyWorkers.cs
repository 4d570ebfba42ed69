namespace Gstd.Grains.Balancing;

/// <summary>
/// The workers that can take a task now, in a treap ordered by (trust, order) where every node also knows the
/// node with the smallest (pass, order) in its subtree. "The smallest pass among workers with trust ≥ t" is
/// then a single walk from the root, so adding, removing and choosing all cost O(log n) expected.
/// </summary>
public sealed class ReadyWorkers
{
    private Node? _root;
    private uint _seed = 2463534242;

    public int Count { get; private set; }

    /// <summary>The highest trust in the tree (0 when empty): the rightmost node.</summary>
    public double MaxTrust
    {
        get
        {
            var node = _root;
            while (node?.Right is not null)
            {
                node = node.Right;
            }

            return node?.Worker.Trust ?? 0;
        }
    }

    public void Add(BalancedWorker worker)
    {
        var node = new Node(worker, NextPriority());
        var (left, right) = Split(_root, worker, inclusive: false);
        _root = Merge(Merge(left, node), right);
        Count++;
    }

    public void Remove(BalancedWorker worker)
    {
        var (left, rest) = Split(_root, worker, inclusive: false);
        var (found, right) = Split(rest, worker, inclusive: true);
        if (found is not null)
        {
            Count--;
        }

        _root = Merge(left, right);
    }

    /// <summary>The worker with the smallest pass among those whose trust is at least <paramref name="minTrust"/>.</summary>
    public BalancedWorker? Smallest(double minTrust)
    {
        BalancedWorker? best = null;
        var node = _root;
        while (node is not null)
        {
            if (node.Worker.Trust < minTrust)
            {
                node = node.Right;
                continue;
            }

            // This node and everything to its right qualify; only the left subtree still needs a look.
            best = Earlier(best, node.Worker);
            best = Earlier(best, node.Right?.Earliest);
            node = node.Left;
        }

        return best;
    }

    private static BalancedWorker? Earlier(BalancedWorker? a, BalancedWorker? b) =>
        a is null ? b : b is null ? a : (b.Pass < a.Pass || (b.Pass == a.Pass && b.Order < a.Order)) ? b : a;

    private static int CompareKey(BalancedWorker a, BalancedWorker b)
    {
        var byTrust = a.Trust.CompareTo(b.Trust);
        return byTrust != 0 ? byTrust : a.Order.CompareTo(b.Order);
    }

    /// <summary>Splits into keys before <paramref name="key"/> and the rest; inclusive puts the key itself on the left.</summary>
    private static (Node? Left, Node? Right) Split(Node? node, BalancedWorker key, bool inclusive)
    {
        if (node is null)
        {
            return (null, null);
        }

        var comparison = CompareKey(node.Worker, key);
        if (comparison < 0 || (inclusive && comparison == 0))
        {
            var (left, right) = Split(node.Right, key, inclusive);
            node.Right = left;
            node.Update();
            return (node, right);
        }
        else
        {
            var (left, right) = Split(node.Left, key, inclusive);
            node.Left = right;
            node.Update();
            return (left, node);
        }
    }

    private static Node? Merge(Node? left, Node? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        if (left.Priority > right.Priority)
        {
            left.Right = Merge(left.Right, right);
            left.Update();
            return left;
        }

        right.Left = Merge(left, right.Left);
        right.Update();
        return right;
    }

    private uint NextPriority()
    {
        // xorshift32: the treap only needs priorities that look random, and a fixed seed keeps runs repeatable.
        _seed ^= _seed << 13;
        _seed ^= _seed >> 17;
        _seed ^= _seed << 5;
        return _seed;
    }

    private sealed class Node(BalancedWorker worker, uint priority)
    {
        public BalancedWorker Worker { get; } = worker;

        public uint Priority { get; } = priority;

        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public BalancedWorker Earliest { get; private set; } = worker;

        public void Update() => Earliest = Earlier(Earlier(Worker, Left?.Earliest), Right?.Earliest)!;
    }
}
