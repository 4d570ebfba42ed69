using Gstd.Tasks;
using Gstd.Grains.Trust;
using Gstd.Trust;
using Gstd.Workers;

namespace Gstd.Grains.Workers;

/// <summary>A workers row, with its account's trust evidence.</summary>
public sealed record WorkerRecord(
    string Id, string AccountId, byte[] PublicKey, string Name, IReadOnlyList<string> Capabilities, int Capacity,
    GeoCell? Location, WorkerStatus Status, TrustStanding Standing, DateTimeOffset CreatedAt)
{
    public double Trust => TrustModel.Score(Standing);

    public WorkerView ToView(WorkerActivity? activity = null) =>
        new(Id, AccountId, Name, PublicKey, Capabilities, Capacity, Location, Trust, Status, CreatedAt, activity);
}
