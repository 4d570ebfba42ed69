namespace Gstd.Testing;

/// <summary>
/// The system clock moved forward on demand. Only the wall clock jumps: timers and timestamps stay the
/// system's, so Orleans keeps running normally while our grains see time pass (a backoff end, a deadline).
/// </summary>
public sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
