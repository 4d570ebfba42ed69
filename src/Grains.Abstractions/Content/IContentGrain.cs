namespace Gstd.Content;

/// <summary>
/// One piece of content, keyed by its content id: stored once whoever uploads it, readable by the accounts
/// that uploaded it and by admins. (Workers holding a live lease that needs it are added with tasks.)
/// </summary>
[Alias("gstd.IContentGrain")]
public interface IContentGrain : IGrainWithStringKey
{
    /// <summary>Stores the bytes (whose hash must be this grain's key) and grants them to the account.</summary>
    [Alias("Upload")]
    Task<UploadResult> Upload(ContentKind kind, string accountId, byte[] bytes);

    /// <summary>The bytes, or null when they do not exist or the account may not read them.</summary>
    [Alias("Download")]
    Task<byte[]?> Download(ContentKind kind, string accountId, bool isAdmin);

    /// <summary>The bytes for a worker whose live lease of <paramref name="taskId"/> needs them; null otherwise.</summary>
    [Alias("DownloadForTask")]
    Task<byte[]?> DownloadForTask(string accountId, string taskId);
}
