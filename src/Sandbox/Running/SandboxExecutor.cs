using System.Diagnostics;
using Gstd.Sandbox.Modules;
using Gstd.Sandbox.Wasi;
using Wasmtime;

namespace Gstd.Sandbox.Running;

/// <summary>
/// Runs one module to completion on the calling thread, which must be a sandbox thread with a known
/// stack (see <see cref="SandboxRunner"/>). Every way a run can end becomes a <see cref="RunResult"/>.
/// </summary>
internal static class SandboxExecutor
{
    private const long WasmPageBytes = 64 * 1024;

    public static RunResult Run(WasmEngine engine, RunRequest request)
    {
        var watch = Stopwatch.StartNew();
        var limits = request.Limits;
        CompiledModule compiled;
        try
        {
            compiled = engine.GetModule(request.ModuleId, request.Module);
        }
        catch (Exception e) when (e is WasmtimeException or FormatException)
        {
            // Wasmtime refuses to compile a module declaring more memory than any run may have.
            var outcome = TryRead(request.Module.Span) is { } info && DeclaredMemory(info) > limits.MemoryBytes ? RunOutcome.MemoryLimit : RunOutcome.InvalidModule;
            return new RunResult(outcome, [], 0, watch.Elapsed, null, FirstLine(e.Message));
        }

        if (compiled.Info.Imports.FirstOrDefault(i => i.Module != ModuleRules.WasiModule || !ModuleRules.AllowedImports.Contains(i.Name)) is { } refused)
        {
            return new RunResult(RunOutcome.InvalidModule, [], 0, watch.Elapsed, null, $"The import {refused.Module}.{refused.Name} is not allowed.");
        }

        if (DeclaredMemory(compiled.Info) > limits.MemoryBytes)
        {
            return new RunResult(RunOutcome.MemoryLimit, [], 0, watch.Elapsed, null,
                $"The module declares {DeclaredMemory(compiled.Info)} bytes of memory; the limit is {limits.MemoryBytes}.");
        }

        var context = new RunContext(request.Input, request.Seed.Span, limits.Fuel, limits.MaxOutputBytes);
        using var store = new Store(engine.Engine, context);
        store.SetWasiConfiguration(new WasiConfiguration());
        store.SetLimits(memorySize: limits.MemoryBytes, tableElements: 100_000, instances: 1, tables: 4, memories: 1);
        store.Fuel = (ulong)limits.Fuel;
        store.SetEpochDeadline((ulong)Math.Ceiling(limits.Timeout / WasmEngine.EpochTick) + 1);

        Instance instance;
        try
        {
            instance = engine.Linker.Instantiate(store, compiled.Module);
        }
        catch (WasmtimeException e)
        {
            return Result(RunOutcome.InvalidModule, FirstLine(e.Message));
        }

        try
        {
            var start = instance.GetAction("_start");
            if (start is null)
            {
                return Result(RunOutcome.InvalidModule, "The module exports no _start function.");
            }

            start();
            return Result(RunOutcome.Succeeded, null);
        }
        catch (Exception e) when (e is WasmtimeException or TrapException)
        {
            return Classify(e);
        }

        RunResult Classify(Exception e)
        {
            if (context.OutputOverflowed)
            {
                return Result(RunOutcome.OutputTooLarge, $"The module wrote more than {limits.MaxOutputBytes} bytes.");
            }

            if (context.ExitCode is { } code)
            {
                return Result(code == 0 ? RunOutcome.Succeeded : RunOutcome.NonZeroExit, code == 0 ? null : $"The module exited with code {code}.");
            }

            if (e is TrapException trap)
            {
                switch (trap.Type)
                {
                    case TrapCode.OutOfFuel:
                        return Result(RunOutcome.OutOfFuel, $"The module used all {limits.Fuel} units of fuel.");
                    case TrapCode.Interrupt:
                        return Result(RunOutcome.TimedOut, $"The module ran longer than {limits.Timeout.TotalSeconds:0.###} s.");
                }

                if (MemoryExhausted(instance))
                {
                    return Result(RunOutcome.MemoryLimit, $"The module ran out of memory at the {limits.MemoryBytes}-byte limit ({trap.Type}).");
                }

                return Result(RunOutcome.Trapped, $"{trap.Type}: {FirstLine(trap.Message)}");
            }

            return Result(RunOutcome.Trapped, FirstLine(e.Message));
        }

        // Memory is exhausted when not even one more page fits under the limit.
        bool MemoryExhausted(Instance running) =>
            running.GetMemory("memory") is { } memory && (memory.GetSize() + 1) * WasmPageBytes > limits.MemoryBytes;

        RunResult Result(RunOutcome outcome, string? detail)
        {
            var remaining = (long)store.Fuel;
            var output = outcome == RunOutcome.OutputTooLarge ? [] : context.Stdout;
            return new RunResult(outcome, output, limits.Fuel - remaining, watch.Elapsed, context.ExitCode ?? (outcome == RunOutcome.Succeeded ? 0 : null), detail);
        }
    }

    private static long DeclaredMemory(WasmModuleInfo info) =>
        info.MemoryMinimumPages is { } pages && pages > long.MaxValue / WasmPageBytes ? long.MaxValue : (info.MemoryMinimumPages ?? 0) * WasmPageBytes;

    private static WasmModuleInfo? TryRead(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return WasmBinaryReader.Read(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }
}
