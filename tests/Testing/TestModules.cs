namespace Gstd.Testing;

/// <summary>The WebAssembly test corpus (tests/Testing/Wasm/*.wat), written by us in text form.</summary>
public static class TestModules
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Wasm", name + ".wat"));

    /// <summary>The binary module for a corpus entry.</summary>
    public static byte[] Wasm(string name) => Wasmtime.Module.ConvertText(Text(name));

    /// <summary>The content id the platform gives these bytes.</summary>
    public static string IdOf(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
