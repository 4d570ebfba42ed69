using Gstd.Sandbox.Running;
using Wasmtime;

namespace Gstd.Sandbox.Modules;

/// <summary>
/// Decides whether bytes are a task module this platform runs, without compiling them: a size cap, the
/// structure read by <see cref="WasmBinaryReader"/>, Wasmtime's validator (no code generation), the import
/// allow-list, an exported <c>_start</c> and a function-count cap.
/// </summary>
public sealed class ModuleValidator(WasmEngine engine, ModuleRules rules)
{
    public ModuleRules Rules => rules;

    public ModuleCheck Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > rules.MaxBytes)
        {
            return ModuleCheck.Invalid($"The module is {bytes.Length} bytes; at most {rules.MaxBytes} are accepted.");
        }

        WasmModuleInfo info;
        try
        {
            info = WasmBinaryReader.Read(bytes);
        }
        catch (FormatException e)
        {
            return ModuleCheck.Invalid(e.Message);
        }

        if (Module.Validate(engine.Engine, bytes) is { } invalid)
        {
            return ModuleCheck.Invalid("Not valid WebAssembly: " + invalid);
        }

        var refused = info.Imports.FirstOrDefault(i =>
            i.Kind != WasmExternKind.Function || i.Module != ModuleRules.WasiModule || !ModuleRules.AllowedImports.Contains(i.Name));
        if (refused is not null)
        {
            return ModuleCheck.Invalid($"The import {refused.Module}.{refused.Name} ({refused.Kind}) is not allowed; a task may import only WASI preview 1 functions.");
        }

        if (!info.Exports.Any(e => e is { Name: "_start", Kind: WasmExternKind.Function }))
        {
            return ModuleCheck.Invalid("The module exports no _start function; a task module is a WASI command.");
        }

        return info.TotalFunctions > rules.MaxFunctions
            ? ModuleCheck.Invalid($"The module has {info.TotalFunctions} functions; at most {rules.MaxFunctions} are accepted.")
            : new ModuleCheck(true, null, info);
    }
}
