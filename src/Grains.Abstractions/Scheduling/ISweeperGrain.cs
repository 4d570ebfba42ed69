namespace Gstd.Scheduling;

/// <summary>
/// Wakes the tasks of one partition whose deadline has passed. Kept alive by an Orleans reminder, so it
/// runs again after any silo crash; it sweeps about once a second while active.
/// </summary>
[Alias("gstd.ISweeperGrain")]
public interface ISweeperGrain : IGrainWithIntegerKey
{
    public const int Partitions = 4;

    /// <summary>Makes sure the sweeper's reminder exists and it is sweeping; idempotent.</summary>
    [Alias("Start")]
    Task Start();
}
