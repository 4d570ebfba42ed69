using Gstd.Content;
using Gstd.Grains.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Gstd.Grains.Content;

/// <summary>
/// Whether an account may use a piece of content, remembered per silo once found: a grant is never taken back, so
/// a client submitting a module it has used before needs no read. Refusals are not remembered (a grant may come).
/// </summary>
public sealed class ContentGrants(Postgres db) : IDisposable
{
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    private readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<bool> IsGrantedAsync(string id, ContentKind kind, string accountId, CancellationToken ct)
    {
        var key = (id, kind, accountId);
        if (_found.TryGetValue(key, out _))
        {
            return true;
        }

        var granted = await ContentStore.IsGrantedAsync(db.DataSource, id, kind, accountId, ct);
        if (granted)
        {
            _found.Set(key, true, Entry);
        }

        return granted;
    }

    public void Dispose() => _found.Dispose();
}
