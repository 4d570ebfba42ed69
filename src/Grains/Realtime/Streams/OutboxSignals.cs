namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Wake-ups for the outbox partitions this silo reads: a commit on this silo, or another silo's NOTIFY (or a
/// listener that lost its connection, which wakes them all) sets a partition's signal; its receiver reads as soon
/// as it is set.
/// </summary>
public sealed class OutboxSignals
{
    private readonly SemaphoreSlim[] _signals = [.. Enumerable.Range(0, Gstd.Realtime.TopicStreams.Partitions).Select(_ => new SemaphoreSlim(0, 1))];
    private readonly long[] _lastRead = new long[Gstd.Realtime.TopicStreams.Partitions];
    private readonly TimeProvider _time;

    public OutboxSignals(TimeProvider time)
    {
        _time = time;
        Array.Fill(_lastRead, long.MinValue);
    }

    /// <summary>
    /// Whether a receiver of this silo reads the partition: it read within the last three safety polls (a reading
    /// receiver reads at least once each). Judged by reads rather than by the receiver's lifecycle calls, so a
    /// partition that moved away is soon woken by NOTIFY again whatever the agent told its receiver.
    /// </summary>
    public bool Reads(int partition) =>
        Volatile.Read(ref _lastRead[partition]) is var at && at != long.MinValue && _time.GetElapsedTime(at) < 3 * OutboxReceiver.SafetyPoll;

    public void Reading(int partition) => Volatile.Write(ref _lastRead[partition], _time.GetTimestamp());

    public void Wake(int partition)
    {
        if (partition < 0 || partition >= _signals.Length)
        {
            return;
        }

        var signal = _signals[partition];
        if (signal.CurrentCount > 0)
        {
            // Already set (most commits under load): the receiver reads everything committed by the time it reads.
            return;
        }

        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Set by another commit in the moment since it was looked at.
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
