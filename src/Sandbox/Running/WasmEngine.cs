using System.Collections.Concurrent;
using Gstd.Sandbox.Modules;
using Gstd.Sandbox.Wasi;
using Wasmtime;

namespace Gstd.Sandbox.Running;

/// <summary>
/// The shared, deterministic Wasmtime engine: one configuration for every run on every machine, a linker
/// with our WASI, an epoch clock for wall-clock limits, and compiled modules cached by content id.
/// </summary>
public sealed class WasmEngine : IDisposable
{
    /// <summary>How often the epoch advances; wall-clock limits are counted in these ticks.</summary>
    public static readonly TimeSpan EpochTick = TimeSpan.FromMilliseconds(10);

    /// <summary>Guest stack; sandbox threads get far more native stack than this, so overflow is always a trap.</summary>
    public const int MaxWasmStackBytes = 512 * 1024;

    /// <summary>The most memory a run may be given (the API's largest memoryLimitMb).</summary>
    public const long MaxMemoryBytes = 1024L * 1024 * 1024;

    /// <summary>Instances that can exist at once across every runner on this engine.</summary>
    public const int InstanceSlots = 64;

    private const int CachedModules = 64;
    private readonly ConcurrentDictionary<string, Lazy<CompiledModule>> _modules = new(StringComparer.Ordinal);
    private readonly Timer _epoch;

    public WasmEngine()
    {
        Engine = new Engine(new Config()
            .WithFuelConsumption(true)
            .WithEpochInterruption(true)
            .WithCraneliftNaNCanonicalization(true)
            .WithRelaxedSIMD(false, true)
            .WithWasmThreads(false)
            .WithMaximumStackSize(MaxWasmStackBytes)
            // Pooled instances whose first megabyte stays mapped and is zeroed in place between runs:
            // unmapping memory on every run costs a TLB shoot-down across cores (hundreds of µs).
            .WithPoolingAllocationStrategy(new PoolingAllocationConfig()
                .WithMaxCoreInstances(InstanceSlots)
                .WithMaxMemories(InstanceSlots)
                .WithMaxTables(InstanceSlots)
                .WithMaxMemorySize((nuint)MaxMemoryBytes)
                .WithLinearMemoryKeepResidentBytes(1024 * 1024)
                .WithTableKeepResidentBytes(64 * 1024)));
        Linker = new Linker(Engine);
        WasiHost.Define(Linker);
        _epoch = new Timer(_ => Engine.IncrementEpoch(), null, EpochTick, EpochTick);
    }

    public Engine Engine { get; }

    public Linker Linker { get; }

    /// <summary>
    /// The compiled module for a content id (the SHA-256 of <paramref name="bytes"/>), compiled once on
    /// first use. Malformed bytes throw <see cref="FormatException"/> or <see cref="WasmtimeException"/>.
    /// </summary>
    public CompiledModule GetModule(string moduleId, ReadOnlyMemory<byte> bytes)
    {
        if (_modules.Count >= CachedModules && !_modules.ContainsKey(moduleId))
        {
            // Forgetting an arbitrary entry is enough: compiling again is the only cost of a miss.
            foreach (var key in _modules.Keys.Take(CachedModules / 4))
            {
                _modules.TryRemove(key, out _);
            }
        }

        var lazy = _modules.GetOrAdd(moduleId, _ => new Lazy<CompiledModule>(() =>
            new CompiledModule(Module.FromBytes(Engine, moduleId, bytes.Span), WasmBinaryReader.Read(bytes.Span))));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _modules.TryRemove(new KeyValuePair<string, Lazy<CompiledModule>>(moduleId, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        // A tick already running would touch the disposed engine on a pool thread, which ends the process.
        using (var ticked = new ManualResetEvent(false))
        {
            if (_epoch.Dispose(ticked))
            {
                ticked.WaitOne();
            }
        }

        Linker.Dispose();
        Engine.Dispose();
    }
}

/// <summary>A compiled module and what its binary declares.</summary>
public sealed record CompiledModule(Module Module, WasmModuleInfo Info);
