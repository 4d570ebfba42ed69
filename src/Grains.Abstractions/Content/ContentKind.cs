namespace Gstd.Content;

[GenerateSerializer, Alias("gstd.ContentKind")]
public enum ContentKind
{
    /// <summary>A WebAssembly task module, validated on upload.</summary>
    Module = 0,
    /// <summary>Opaque bytes: task inputs and outputs.</summary>
    Blob = 1,
}
