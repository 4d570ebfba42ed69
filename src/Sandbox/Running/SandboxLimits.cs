namespace Gstd.Sandbox.Running;

/// <summary>What one run may use. Every limit ends the run with its own <see cref="RunOutcome"/>.</summary>
public sealed record SandboxLimits(long Fuel, long MemoryBytes, TimeSpan Timeout, int MaxOutputBytes)
{
    public static SandboxLimits Default { get; } = new(10_000_000_000, 64L * 1024 * 1024, TimeSpan.FromSeconds(30), 1024 * 1024);
}
