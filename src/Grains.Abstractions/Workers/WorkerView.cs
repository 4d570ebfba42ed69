using Gstd.Tasks;

namespace Gstd.Workers;

[GenerateSerializer, Alias("gstd.WorkerStatus")]
public enum WorkerStatus
{
    Active = 0,
    Suspended = 1,
}

/// <summary>A worker as its owner and admins see it.</summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkerView")]
public sealed record WorkerView(
    [property: Id(0)] string Id,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] byte[] PublicKey,
    [property: Id(4)] IReadOnlyList<string> Capabilities,
    [property: Id(5)] int Capacity,
    [property: Id(6)] GeoCell? Location,
    [property: Id(7)] double Trust,
    [property: Id(8)] WorkerStatus Status,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] WorkerActivity? Activity);

/// <summary>
/// What is shown when one worker is read: its connection and leases, the tasks it completed (results that
/// verified), how many of those settled and what they paid, and its account's recent trust changes.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkerActivity")]
public sealed record WorkerActivity(
    [property: Id(0)] bool Online,
    [property: Id(1)] int ActiveLeases,
    [property: Id(2)] IReadOnlyList<Trust.TrustChange> RecentTrust,
    [property: Id(3)] long Completed,
    [property: Id(4)] long Settled,
    [property: Id(5)] long Earned);

/// <summary>What an agent registers: its key, what it can run, how much at once, and roughly where it is.</summary>
[GenerateSerializer, Immutable, Alias("gstd.RegisterWorker")]
public sealed record RegisterWorker(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Name,
    [property: Id(2)] byte[] PublicKey,
    [property: Id(3)] IReadOnlyList<string> Capabilities,
    [property: Id(4)] int Capacity,
    [property: Id(5)] GeoCell? Location);

[GenerateSerializer, Alias("gstd.RegistrationStatus")]
public enum RegistrationStatus
{
    Created = 0,
    /// <summary>The account registered this public key before: the existing worker is answered.</summary>
    Existing = 1,
    /// <summary>Another account registered this public key.</summary>
    KeyTaken = 2,
    InvalidKey = 3,
}

[GenerateSerializer, Immutable, Alias("gstd.RegistrationResult")]
public sealed record RegistrationResult([property: Id(0)] RegistrationStatus Status, [property: Id(1)] WorkerView? Worker);
