using Gstd.Tasks;
using Orleans.Concurrency;

namespace Gstd.Network;

/// <summary>
/// The public map of the network: online workers and their active tasks counted per whole-degree cell. Workers
/// report themselves; changes go to the <c>network</c> topic as <c>network.updated</c>, at most once a second.
/// </summary>
[Alias("gstd.INetworkMapGrain")]
public interface INetworkMapGrain : IGrainWithIntegerKey
{
    [Alias("Report"), OneWay]
    Task Report(WorkerPresence presence);

    /// <summary>The cells with at least the configured number of workers (no ids, no names).</summary>
    [Alias("Get")]
    Task<NetworkMap> Get();
}

/// <summary>What a worker says of itself every few seconds while online, and once when it goes offline.</summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkerPresence")]
public sealed record WorkerPresence(
    [property: Id(0)] string WorkerId,
    [property: Id(1)] GeoCell Cell,
    [property: Id(2)] bool Online,
    [property: Id(3)] int ActiveTasks);

[GenerateSerializer, Immutable, Alias("gstd.MapCell")]
public sealed record MapCell([property: Id(0)] int Lat, [property: Id(1)] int Lon, [property: Id(2)] int Workers, [property: Id(3)] int ActiveTasks);

[GenerateSerializer, Immutable, Alias("gstd.NetworkMap")]
public sealed record NetworkMap([property: Id(0)] DateTimeOffset GeneratedAt, [property: Id(1)] IReadOnlyList<MapCell> Cells);
