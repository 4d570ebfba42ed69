using Gstd.Worker;

namespace Gstd.UnitTests.Worker;

public sealed class ModuleCacheTests
{
    [Fact]
    public void A_kept_module_is_served_until_newer_ones_push_the_least_recently_used_out()
    {
        var cache = new ModuleCache(capacityBytes: 10);
        cache.Add("a", new byte[4]);
        cache.Add("b", new byte[4]);
        Assert.True(cache.TryGet("a", out _));

        // Twelve bytes do not fit: "b" was used least recently, so it goes.
        cache.Add("c", new byte[4]);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(4, a.Length);
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void A_module_larger_than_the_whole_cache_is_not_kept_and_evicts_nothing()
    {
        var cache = new ModuleCache(capacityBytes: 10);
        cache.Add("small", new byte[3]);
        cache.Add("huge", new byte[11]);
        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("small", out _));
    }
}
