using Gstd.Identity;

namespace Gstd.Accounts;

[GenerateSerializer, Immutable, Alias("gstd.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Name,
    [property: Id(1)] AccountRoles Roles,
    [property: Id(2)] bool SelfServiceWorkers);

[GenerateSerializer, Immutable, Alias("gstd.CreatedAccount")]
public sealed record CreatedAccount([property: Id(0)] AccountView Account, [property: Id(1)] CreatedApiKey Key);
