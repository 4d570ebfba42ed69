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
    /// <summary>The account's evidence as it stands at <paramref name="now"/>, decayed since it last changed.</summary>
    public TrustStanding StandingAt(DateTimeOffset now) => TrustModel.Decay(Standing, now);

    public WorkerView ToView(DateTimeOffset now, WorkerActivity? activity = null) =>
        new(Id, AccountId, Name, PublicKey, Capabilities, Capacity, Location, TrustModel.Score(StandingAt(now)), Status, CreatedAt, activity);
}
