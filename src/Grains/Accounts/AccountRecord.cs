using Gstd.Identity;

namespace Gstd.Grains.Accounts;

/// <summary>An account row as stored.</summary>
public sealed record AccountRecord(string Id, string Name, AccountRoles Roles, WorkerRoleStatus? WorkerRole, DateTimeOffset CreatedAt);

/// <summary>A key row joined with its account, as authentication needs it.</summary>
public sealed record ApiKeyRecord(
    string KeyId, string AccountId, byte[] SecretHash, KeyScope Scope, bool Revoked,
    AccountRoles Roles, WorkerRoleStatus? WorkerRole);
