namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Wake-ups for the outbox partitions this silo reads: a commit on this silo, or another silo's NOTIFY (or a
/// listener that lost its connection, which wakes them all) sets a partition's signal; its receiver reads as soon
/// as it is set.
/// </summary>
public sealed class OutboxSignals
{
    private readonly SemaphoreSlim[] _signals = [.. Enumerable.Range(0, Gstd.Realtime.TopicStreams.Partitions).Select(_ => new SemaphoreSlim(0, 1))];
    private readonly bool[] _reading = new bool[Gstd.Realtime.TopicStreams.Partitions];

    /// <summary>Whether a receiver of this silo reads the partition now (it holds the partition's lease).</summary>
    public bool Reads(int partition) => Volatile.Read(ref _reading[partition]);

    public void Reading(int partition, bool reading) => Volatile.Write(ref _reading[partition], reading);

    public void Wake(int partition)
    {
        if (partition < 0 || partition >= _signals.Length)
        {
            return;
        }

        try
        {
            _signals[partition].Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the receiver reads everything committed by the time it reads.
        }
    }

    public void WakeAll()
    {
        for (var partition = 0; partition < _signals.Length; partition++)
        {
            Wake(partition);
        }
    }

    /// <summary>True when the partition was woken within <paramref name="timeout"/>; the signal is taken.</summary>
    public Task<bool> WaitAsync(int partition, TimeSpan timeout, CancellationToken ct) => _signals[partition].WaitAsync(timeout, ct);
}
