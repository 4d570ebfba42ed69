using Gstd.Sandbox.Running;
using Gstd.Testing;

namespace Gstd.SandboxTests;

/// <summary>One engine and a two-thread runner, shared like a silo shares them.</summary>
public sealed class SandboxFixture : IDisposable
{
    public WasmEngine Engine { get; } = new();

    public SandboxRunner Runner { get; }

    public SandboxFixture() => Runner = new SandboxRunner(Engine, threads: 2);

    public Task<RunResult> RunAsync(string corpusName, byte[]? input = null, string seed = "task-1", SandboxLimits? limits = null)
    {
        var module = TestModules.Wasm(corpusName);
        return RunAsync(module, input, seed, limits);
    }

    public Task<RunResult> RunAsync(byte[] module, byte[]? input = null, string seed = "task-1", SandboxLimits? limits = null) =>
        Runner.RunAsync(new RunRequest(TestModules.IdOf(module), module, input ?? [], System.Text.Encoding.UTF8.GetBytes(seed), limits ?? SandboxLimits.Default));

    public void Dispose()
    {
        Runner.Dispose();
        Engine.Dispose();
    }
}
