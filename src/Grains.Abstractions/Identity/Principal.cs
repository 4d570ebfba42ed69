namespace Gstd.Identity;

/// <summary>Who a valid API key speaks for, as the gateway sees it on every request.</summary>
[GenerateSerializer, Immutable, Alias("gstd.Principal")]
public sealed record Principal(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] KeyScope Scope,
    [property: Id(3)] AccountRoles Roles,
    [property: Id(4)] WorkerRoleStatus? WorkerRole);
