using Orleans.Concurrency;

namespace Gstd.Workers;

/// <summary>
/// The live connection of a worker agent (its WebSocket, held by a gateway), as its worker grain knows it. What is
/// addressed to the worker — offers, leases, revocations — travels on the worker's stream, to which the connection
/// subscribes; this reference only tells one connection that another took its place.
/// </summary>
[Alias("gstd.IWorkerSession")]
public interface IWorkerSession : IGrainObserver
{
    /// <summary>A newer connection of the same worker took over; this one should close.</summary>
    [Alias("Replaced"), OneWay]
    Task Replaced();
}
