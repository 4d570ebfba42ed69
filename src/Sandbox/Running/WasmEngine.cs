using System.Collections.Concurrent;
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

    private const int CachedModules = 64;
    private readonly ConcurrentDictionary<string, Lazy<Module>> _modules = new(StringComparer.Ordinal);
    private readonly Timer _epoch;

    public WasmEngine()
    {
        Engine = new Engine(new Config()
            .WithFuelConsumption(true)
            .WithEpochInterruption(true)
            .WithCraneliftNaNCanonicalization(true)
            .WithRelaxedSIMD(false, true)
            .WithWasmThreads(false)
            .WithMaximumStackSize(MaxWasmStackBytes));
        Linker = new Linker(Engine);
        WasiHost.Define(Linker);
        _epoch = new Timer(_ => Engine.IncrementEpoch(), null, EpochTick, EpochTick);
    }

    public Engine Engine { get; }

    public Linker Linker { get; }

    /// <summary>The compiled module for a content id, compiling it once on first use.</summary>
    public Module GetModule(string moduleId, ReadOnlyMemory<byte> bytes)
    {
        if (_modules.Count >= CachedModules && !_modules.ContainsKey(moduleId))
        {
            // Forgetting an arbitrary entry is enough: compiling again is the only cost of a miss.
            foreach (var key in _modules.Keys.Take(CachedModules / 4))
            {
                _modules.TryRemove(key, out _);
            }
        }

        var lazy = _modules.GetOrAdd(moduleId, _ => new Lazy<Module>(() => Module.FromBytes(Engine, moduleId, bytes.Span)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _modules.TryRemove(new KeyValuePair<string, Lazy<Module>>(moduleId, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        _epoch.Dispose();
        Linker.Dispose();
        Engine.Dispose();
    }
}
