using Gstd.Accounts;
using Gstd.Gateway.Auth;

namespace Gstd.Gateway.Accounts;

public sealed record BalanceResponse(string Available, string Escrow)
{
    public static BalanceResponse From(Balance balance) =>
        new(Money.Money.Format(balance.Available), Money.Money.Format(balance.Escrow));
}

public sealed record AccountResponse(string Id, string Name, IReadOnlyList<string> Roles, string? WorkerRole, BalanceResponse Balance)
{
    public static AccountResponse From(AccountView view) =>
        new(view.Id, view.Name, RoleNames.From(view.Roles).ToArray(), view.WorkerRole?.ToString(), BalanceResponse.From(view.Balance));
}

public sealed record DisabledAccountResponse(string Id, DateTimeOffset DisabledAt);

public sealed record CreatedAccountResponse(string Id, string Name, IReadOnlyList<string> Roles, string? WorkerRole, string ApiKey, string KeyId);

public sealed record ApiKeyResponse(string KeyId, string Prefix, string Scope, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static ApiKeyResponse From(ApiKeyView key) =>
        new(key.KeyId, key.Prefix, key.Scope.ToString().ToLowerInvariant(), key.CreatedAt, key.LastUsedAt);
}

public sealed record CreatedApiKeyResponse(string KeyId, string Prefix, string Scope, DateTimeOffset CreatedAt, string ApiKey);

public sealed record DepositResponse(BalanceResponse Balance);
