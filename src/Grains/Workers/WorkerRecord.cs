using Gstd.Tasks;
using Gstd.Workers;

namespace Gstd.Grains.Workers;

/// <summary>A workers row, with its account's trust.</summary>
public sealed record WorkerRecord(
    string Id, string AccountId, byte[] PublicKey, string Name, IReadOnlyList<string> Capabilities, int Capacity,
    GeoCell? Location, WorkerStatus Status, double Trust, DateTimeOffset CreatedAt)
{
    public WorkerView ToView() => new(Id, AccountId, Name, PublicKey, Capabilities, Capacity, Location, Trust, Status, CreatedAt);
}
