using System.Diagnostics.CodeAnalysis;

namespace Gstd.Worker;

/// <summary>
/// Modules this process has downloaded and checked, by id. A module's id is the SHA-256 of its bytes, so a kept
/// copy is the module itself: the tasks of one module download it once. Holds at most a fixed number of bytes;
/// the least recently used go first.
/// </summary>
public sealed class ModuleCache(long capacityBytes)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(string Id, byte[] Bytes)> _recent = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, byte[] Bytes)>> _byId = new(StringComparer.Ordinal);
    private long _bytes;

    public bool TryGet(string id, [NotNullWhen(true)] out byte[]? bytes)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                bytes = node.Value.Bytes;
                return true;
            }
        }

        bytes = null;
        return false;
    }

    /// <summary>Keeps a checked module; one larger than the whole cache is not kept.</summary>
    public void Add(string id, byte[] bytes)
    {
        lock (_lock)
        {
            if (bytes.Length > capacityBytes || _byId.ContainsKey(id))
            {
                return;
            }

            _byId[id] = _recent.AddFirst((id, bytes));
            _bytes += bytes.Length;
            while (_bytes > capacityBytes)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _byId.Remove(oldest.Value.Id);
                _bytes -= oldest.Value.Bytes.Length;
            }
        }
    }
}
