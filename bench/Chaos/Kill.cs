namespace Gstd.Bench.Chaos;

/// <summary>
/// One SIGKILL: when, of what, and the tasks in flight on it then (task id → how many attempts it had), whose
/// next assignment measures how fast work moves on. A silo kill also names the membership row it ended.
/// </summary>
public sealed record Kill(DateTimeOffset At, string Target, bool IsSilo, IReadOnlyDictionary<string, int> InFlight, (int Port, int Generation)? Silo);
