namespace Gstd.Sandbox.Modules;

/// <summary>The verdict on an uploaded module: valid with its shape, or the reason it is refused.</summary>
public sealed record ModuleCheck(bool IsValid, string? Error, WasmModuleInfo? Info)
{
    public static ModuleCheck Invalid(string error) => new(false, error, null);
}
