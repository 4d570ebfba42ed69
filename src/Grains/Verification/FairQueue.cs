namespace Gstd.Grains.Verification;

/// <summary>
/// A bounded queue that takes turns between accounts: each dequeue serves the next account in turn, so an account
/// with many items waiting delays another by at most one item, whatever it queued. Thread-safe.
/// </summary>
public sealed class FairQueue<T>(int perAccount, int total)
{
    private readonly Dictionary<string, Queue<T>> _byAccount = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Lock _lock = new();
    private int _count;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds an item unless the account or the queue is full.</summary>
    public bool TryEnqueue(string account, T item)
    {
        lock (_lock)
        {
            if (_count >= total)
            {
                return false;
            }

            if (!_byAccount.TryGetValue(account, out var queue))
            {
                queue = new Queue<T>();
                _byAccount[account] = queue;
                _turns.Enqueue(account);
            }
            else if (queue.Count >= perAccount)
            {
                return false;
            }

            queue.Enqueue(item);
            _count++;
            return true;
        }
    }

    /// <summary>The oldest item of the account whose turn it is; that account then goes to the back of the line.</summary>
    public bool TryDequeue(out T item)
    {
        lock (_lock)
        {
            if (!_turns.TryDequeue(out var account))
            {
                item = default!;
                return false;
            }

            var queue = _byAccount[account];
            item = queue.Dequeue();
            _count--;
            if (queue.Count > 0)
            {
                _turns.Enqueue(account);
            }
            else
            {
                _byAccount.Remove(account);
            }

            return true;
        }
    }
}
