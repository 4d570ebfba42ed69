using Gstd.Identity;

namespace Gstd.Accounts;

[GenerateSerializer, Immutable, Alias("gstd.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Prefix,
    [property: Id(2)] KeyScope Scope,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? LastUsedAt);

/// <summary>A freshly made key: the only time its secret is ever shown.</summary>
[GenerateSerializer, Immutable, Alias("gstd.CreatedApiKey")]
public sealed record CreatedApiKey([property: Id(0)] ApiKeyView Key, [property: Id(1)] string Secret);
