using CsCheck;
using Gstd.Money;

namespace Gstd.UnitTests.Money;

public sealed class MoneyTests
{
    [Fact]
    public void Format_then_parse_gives_back_every_amount()
    {
        Gen.Long[0, long.MaxValue].Sample(nano =>
        {
            Assert.True(Gstd.Money.Money.TryParse(Gstd.Money.Money.Format(nano), out var parsed));
            Assert.Equal(nano, parsed);
        });
    }

    [Fact]
    public void Formatted_amounts_are_canonical()
    {
        Gen.Long[0, long.MaxValue].Sample(nano =>
        {
            var text = Gstd.Money.Money.Format(nano);
            Assert.Matches(@"^(0|[1-9][0-9]*)(\.[0-9]{0,8}[1-9])?$", text);
        });
    }

    [Fact]
    public void Parse_then_format_removes_only_trailing_zeros()
    {
        var wire = Gen.Select(Gen.Long[0, 9_223_372_035], Gen.Int[0, 9], Gen.Long[0, 999_999_999],
            (units, decimals, fraction) => decimals == 0
                ? units.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"{units}.{(fraction % (long)Math.Pow(10, decimals)).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(decimals, '0')}");
        wire.Sample(text =>
        {
            Assert.True(Gstd.Money.Money.TryParse(text, out var nano), text);
            var canonical = text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
            Assert.Equal(canonical, Gstd.Money.Money.Format(nano));
        });
    }

    [Theory]
    [InlineData("0.5", 500_000_000)]
    [InlineData("1", 1_000_000_000)]
    [InlineData("1.25", 1_250_000_000)]
    [InlineData("0.000000001", 1)]
    [InlineData("1.50", 1_500_000_000)]
    [InlineData("0", 0)]
    [InlineData("9223372036.854775807", long.MaxValue)]
    public void Parses_the_wire_form(string text, long nano)
    {
        Assert.True(Gstd.Money.Money.TryParse(text, out var parsed));
        Assert.Equal(nano, parsed);
    }

    [Theory]
    [InlineData("00.5")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1e3")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("01")]
    [InlineData("1.0000000001")]
    [InlineData("1,5")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("NaN")]
    [InlineData("１")]
    [InlineData("9223372036.854775808")]
    [InlineData("99999999999")]
    public void Rejects_everything_api_md_forbids(string? text)
    {
        Assert.False(Gstd.Money.Money.TryParse(text, out _));
    }

    [Fact]
    public void Signed_format_marks_debits()
    {
        Assert.Equal("-1.5", Gstd.Money.Money.FormatSigned(-1_500_000_000));
        Assert.Equal("2", Gstd.Money.Money.FormatSigned(2_000_000_000));
    }
}
