namespace Gstd.Sandbox.Modules;

public enum WasmExternKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
    Tag = 4,
}

public sealed record WasmImport(string Module, string Name, WasmExternKind Kind);

public sealed record WasmExport(string Name, WasmExternKind Kind);

/// <summary>What a module asks for and offers, read from its binary without compiling it.</summary>
public sealed record WasmModuleInfo(
    IReadOnlyList<WasmImport> Imports,
    IReadOnlyList<WasmExport> Exports,
    int DefinedFunctions,
    long? MemoryMinimumPages)
{
    public int TotalFunctions => DefinedFunctions + Imports.Count(i => i.Kind == WasmExternKind.Function);
}
