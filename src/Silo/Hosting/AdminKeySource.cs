using Gstd.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gstd.Silo.Hosting;

/// <summary>
/// Where the admin key comes from: configuration (<c>Gstd:AdminApiKey</c>) or, in Development only, a key
/// generated once and kept in a file that only its owner can read (<c>Gstd:AdminKeyFile</c>).
/// </summary>
public static class AdminKeySource
{
    public static string? Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Gstd:AdminApiKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        if (!environment.IsDevelopment())
        {
            return null;
        }

        var path = configuration["Gstd:AdminKeyFile"] ?? Path.Combine(environment.ContentRootPath, ".gstd", "admin.key");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = ApiKey.Generate().Key;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(key);
        }

        return key;
    }
}
