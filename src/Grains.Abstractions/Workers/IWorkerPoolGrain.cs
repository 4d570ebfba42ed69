using Orleans.Concurrency;

namespace Gstd.Workers;

/// <summary>
/// The balancer of one pool (key "wasm"): online workers with free capacity and tasks waiting for one.
/// Soft state only: rebuilt from the tasks table and from workers announcing themselves.
/// </summary>
[Alias("gstd.IWorkerPoolGrain")]
public interface IWorkerPoolGrain : IGrainWithStringKey
{
    public const string Wasm = "wasm";

    /// <summary>A task waits for a worker (new, or back after a worker was lost or failed).</summary>
    [Alias("Enqueue")]
    Task Enqueue(PoolTask task);

    /// <summary>A worker is online with this many free slots (sent on every change and periodically).</summary>
    [Alias("WorkerAvailable"), OneWay]
    Task WorkerAvailable(PoolWorker worker);

    [Alias("WorkerGone"), OneWay]
    Task WorkerGone(string workerId);
}

[GenerateSerializer, Immutable, Alias("gstd.PoolTask")]
public sealed record PoolTask(
    [property: Id(0)] string TaskId,
    [property: Id(1)] int Priority,
    [property: Id(2)] double MinTrust,
    [property: Id(3)] DateTimeOffset QueuedAt,
    [property: Id(4)] IReadOnlyList<string> AvoidWorkers);

[GenerateSerializer, Immutable, Alias("gstd.PoolWorker")]
public sealed record PoolWorker(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] int FreeSlots,
    [property: Id(2)] double Trust);
