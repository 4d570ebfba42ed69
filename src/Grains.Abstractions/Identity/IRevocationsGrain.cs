namespace Gstd.Identity;

/// <summary>
/// The keys revoked and accounts disabled lately, in order, so that every silo can close the sockets opened with them
/// (a socket authenticated once, when it opened). Soft state: each activation is a new epoch, and a silo whose
/// position it cannot serve re-checks all its sockets instead.
/// </summary>
[Alias("gstd.IRevocationsGrain")]
public interface IRevocationsGrain : IGrainWithIntegerKey
{
    [Alias("Record")]
    Task Record(Revocation revocation);

    /// <summary>What was recorded after <paramref name="position"/> of <paramref name="epoch"/>.</summary>
    [Alias("Since")]
    Task<RevocationPage> Since(Guid epoch, long position);
}

/// <summary>A key that no longer works, or (with no key) every key of a disabled account.</summary>
[GenerateSerializer, Immutable, Alias("gstd.Revocation")]
public sealed record Revocation([property: Id(0)] string AccountId, [property: Id(1)] string? KeyId);

/// <summary>
/// Revocations after a position, and the position to ask from next. <see cref="Complete"/> is false when the grain no
/// longer has everything after the position asked for (another epoch, or too far back): check every socket again.
/// </summary>
[GenerateSerializer, Immutable, Alias("gstd.RevocationPage")]
public sealed record RevocationPage(
    [property: Id(0)] Guid Epoch, [property: Id(1)] long Position, [property: Id(2)] IReadOnlyList<Revocation> Items, [property: Id(3)] bool Complete);
