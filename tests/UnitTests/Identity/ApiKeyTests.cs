using Gstd.Identity;

namespace Gstd.UnitTests.Identity;

public sealed class ApiKeyTests
{
    [Fact]
    public void Generated_keys_carry_their_prefix_and_hash()
    {
        var key = ApiKey.Generate();
        Assert.StartsWith("gstd_", key.Key, StringComparison.Ordinal);
        Assert.True(ApiKey.TryGetPrefix(key.Key, out var prefix));
        Assert.Equal(key.Prefix, prefix);
        Assert.Equal(ApiKey.PrefixLength, prefix.Length);
        Assert.Equal(ApiKey.Hash(key.Key), key.Hash);
    }

    [Fact]
    public void Keys_are_never_repeated()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKey.Generate()).ToList();
        Assert.Equal(keys.Count, keys.Select(k => k.Key).Distinct().Count());
        Assert.Equal(keys.Count, keys.Select(k => k.Prefix).Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("gstd_")]
    [InlineData("gstd_short")]
    [InlineData("abcd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("gstd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("gstd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_keys_have_no_prefix(string key)
    {
        Assert.False(ApiKey.TryGetPrefix(key, out _));
    }

    [Fact]
    public void Ids_are_opaque_and_never_hexadecimal()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New("acc")).ToList();
        Assert.All(ids, id =>
        {
            Assert.True(Ids.IsWellFormed(id));
            Assert.DoesNotContain(':', id);
            Assert.False(long.TryParse(id, System.Globalization.NumberStyles.HexNumber, null, out _));
        });
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
