namespace Gstd.Sandbox.Running;

/// <summary>
/// One execution: the module (by content id, with its bytes for the first compile), the stdin bytes and
/// the seed of <c>random_get</c> (the task id, so every replica of a task sees the same randomness).
/// </summary>
public sealed record RunRequest(string ModuleId, ReadOnlyMemory<byte> Module, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte> Seed, SandboxLimits Limits);
