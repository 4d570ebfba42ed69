namespace Gstd.Sandbox.Running;

public enum RunOutcome
{
    /// <summary><c>_start</c> returned, or the module exited with code 0.</summary>
    Succeeded,
    /// <summary>The module exited with a code other than 0.</summary>
    NonZeroExit,
    /// <summary>A WebAssembly trap: unreachable, out-of-bounds access, stack overflow, division by zero…</summary>
    Trapped,
    OutOfFuel,
    /// <summary>The wall-clock limit passed (epoch interruption).</summary>
    TimedOut,
    OutputTooLarge,
    /// <summary>The module needed more memory than the limit allows.</summary>
    MemoryLimit,
    /// <summary>The bytes are not a module this sandbox runs (not WebAssembly, disallowed imports, no <c>_start</c>).</summary>
    InvalidModule,
}
