namespace Gstd.Gateway.Accounts;

// Request shapes as the OpenAPI document publishes them. Handlers read bodies field by field
// (JsonBody) so that each bad field gets its own message.

public sealed record CreateAccountRequest(string Name, IReadOnlyList<string> Roles);

public sealed record CreateKeyRequest(string Scope);

public sealed record DepositRequest(string Amount);

public sealed record AdminDepositRequest(string Amount, string Reference);
