using CsCheck;
using Gstd.Sandbox.Modules;
using Gstd.Testing;

namespace Gstd.SandboxTests;

public sealed class ModuleValidatorTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private ModuleValidator Validator => new(sandbox.Engine, new ModuleRules(4 * 1024 * 1024, 20_000));

    [Theory]
    [InlineData("echo")]
    [InlineData("random-and-clocks")]
    [InlineData("sleeper")]
    [InlineData("infinite-loop")]
    [InlineData("memory-bomb")]
    [InlineData("huge-memory")]
    [InlineData("deep-recursion")]
    [InlineData("endless-writer")]
    [InlineData("trap")]
    [InlineData("exit-with-input")]
    [InlineData("tiny")]
    public void Wasi_commands_are_accepted_even_when_they_misbehave_at_run_time(string name)
    {
        var check = Validator.Check(TestModules.Wasm(name));
        Assert.True(check.IsValid, check.Error);
    }

    [Theory]
    [InlineData("foreign-import", "env.now")]
    [InlineData("socket-import", "sock_accept")]
    [InlineData("no-start", "_start")]
    public void Modules_outside_the_rules_are_refused_with_the_reason(string name, string reason)
    {
        var check = Validator.Check(TestModules.Wasm(name));
        Assert.False(check.IsValid);
        Assert.Contains(reason, check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_webassembly_are_refused()
    {
        Assert.False(Validator.Check("this is not wasm"u8).IsValid);
        Assert.False(Validator.Check([]).IsValid);
        Assert.False(Validator.Check([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]).IsValid);
    }

    [Fact]
    public void Size_and_function_caps_are_enforced()
    {
        var module = TestModules.Wasm("echo");
        Assert.False(new ModuleValidator(sandbox.Engine, new ModuleRules(module.Length - 1, 100)).Check(module).IsValid);
        var check = new ModuleValidator(sandbox.Engine, new ModuleRules(1 << 20, 2)).Check(module);
        Assert.False(check.IsValid);
        Assert.Contains("functions", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reader_sees_imports_exports_functions_and_memory()
    {
        var info = WasmBinaryReader.Read(TestModules.Wasm("echo"));
        Assert.Equal(["fd_read", "fd_write"], info.Imports.Select(i => i.Name));
        Assert.Contains(info.Exports, e => e is { Name: "_start", Kind: WasmExternKind.Function });
        Assert.Equal(3, info.TotalFunctions);
        Assert.Equal(1, info.MemoryMinimumPages);
    }

    [Fact]
    public void Corrupted_modules_are_refused_and_never_throw()
    {
        var valid = TestModules.Wasm("echo");
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]).Sample((position, value, cut) =>
        {
            var bytes = valid.ToArray();
            bytes[position] = value;
            var check = Validator.Check(bytes.AsSpan(0, Math.Max(cut, 8)));
            Assert.True(check.IsValid || check.Error is not null);
        }, iter: 2000);
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_never_throw()
    {
        Gen.Byte.Array[0, 200].Sample(tail =>
        {
            byte[] bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, .. tail];
            var check = Validator.Check(bytes);
            Assert.True(check.IsValid || check.Error is not null);
        }, iter: 2000);
    }
}
