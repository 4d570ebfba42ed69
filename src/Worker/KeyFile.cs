using NSec.Cryptography;

namespace Gstd.Worker;

/// <summary>A worker's Ed25519 key pair, kept as its 32-byte seed in a file only its owner can read.</summary>
public static class KeyFile
{
    public static Key LoadOrCreate(string path)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (File.Exists(path))
        {
            var seed = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, parameters);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Key.Create(SignatureAlgorithm.Ed25519, parameters);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey)));
        return key;
    }
}
