using Orleans.Concurrency;

namespace Gstd.Workers;

/// <summary>
/// The balancer of one pool, keyed by the capability its workers offer (today "wasm"): online workers with
/// their free slots and trust, and the tasks waiting for one. Soft state only: rebuilt from the tasks table and
/// from workers announcing themselves.
/// </summary>
[Alias("gstd.IWorkerPoolGrain")]
public interface IWorkerPoolGrain : IGrainWithStringKey
{
    public const string Wasm = "wasm";

    /// <summary>
    /// A task needs a worker (new, or back after a worker was lost or failed). Answers the worker that reserved
    /// a slot for it, which the task then assigns; null when nobody can take it yet: it then waits here, and the
    /// pool assigns it (<see cref="Tasks.ITaskGrain.Assign"/>) as soon as capacity appears.
    /// </summary>
    [Alias("Enqueue")]
    Task<string?> Enqueue(PoolTask task);

    /// <summary>A worker is online with this many free slots (sent on every change and every few seconds).</summary>
    [Alias("WorkerAvailable"), OneWay]
    Task WorkerAvailable(PoolWorker worker);

    [Alias("WorkerGone"), OneWay]
    Task WorkerGone(string workerId);

    /// <summary>How the pool sees itself now: for operators, tests and benchmarks.</summary>
    [Alias("GetStats")]
    Task<PoolStats> GetStats();
}

[GenerateSerializer, Immutable, Alias("gstd.PoolTask")]
public sealed record PoolTask(
    [property: Id(0)] string TaskId,
    [property: Id(1)] int Priority,
    [property: Id(2)] double MinTrust,
    [property: Id(3)] DateTimeOffset QueuedAt,
    [property: Id(4)] IReadOnlyList<string> AvoidWorkers,
    [property: Id(5)] IReadOnlyList<string>? ExcludeWorkers = null);

[GenerateSerializer, Immutable, Alias("gstd.PoolWorker")]
public sealed record PoolWorker(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] int FreeSlots,
    [property: Id(2)] double Trust);

[GenerateSerializer, Immutable, Alias("gstd.PoolStats")]
public sealed record PoolStats(
    [property: Id(0)] int Workers,
    [property: Id(1)] int ReadyWorkers,
    [property: Id(2)] int WaitingTasks,
    [property: Id(3)] long Decisions,
    [property: Id(4)] long Refusals,
    [property: Id(5)] int SilentWorkers);
