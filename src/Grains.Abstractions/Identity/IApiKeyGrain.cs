using Orleans.Concurrency;

namespace Gstd.Identity;

/// <summary>One API key, keyed by its lookup prefix: answers "whose key is this?" from a cached row.</summary>
[Alias("gstd.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>The key's principal when <paramref name="keyHash"/> matches a live key; otherwise null.</summary>
    [Alias("Authenticate")]
    Task<Principal?> Authenticate(byte[] keyHash);

    /// <summary>Drops the cached row so the next call reads revocations and role changes.</summary>
    [Alias("Invalidate"), OneWay]
    Task Invalidate();
}
