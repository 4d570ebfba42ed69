namespace Gstd.Testing;

public static class Repository
{
    /// <summary>The checkout the tests were built from: the folder above the test binaries that holds Gstd.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Gstd.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Gstd.sln not found above " + AppContext.BaseDirectory);
    }
}
