using Gstd.Identity;

namespace Gstd.Accounts;

[GenerateSerializer, Immutable, Alias("gstd.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] AccountRoles Roles,
    [property: Id(3)] WorkerRoleStatus? WorkerRole,
    [property: Id(4)] Balance Balance,
    [property: Id(5)] DateTimeOffset CreatedAt);

/// <summary>An account's money in nano-GSTD: spendable, and held in escrow for its tasks.</summary>
[GenerateSerializer, Immutable, Alias("gstd.Balance")]
public sealed record Balance([property: Id(0)] long Available, [property: Id(1)] long Escrow);
