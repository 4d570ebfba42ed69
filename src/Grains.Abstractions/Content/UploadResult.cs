namespace Gstd.Content;

[GenerateSerializer, Alias("gstd.UploadStatus")]
public enum UploadStatus
{
    /// <summary>The account can now use the content (the bytes may have been stored before).</summary>
    Created = 0,
    /// <summary>The account had already uploaded the same bytes.</summary>
    AlreadyOwned = 1,
    /// <summary>The bytes are not a module the platform runs; the reason is in the error.</summary>
    Invalid = 2,
    /// <summary>The account holds as much content as its quota allows (<c>PlatformLimits.StorageQuotaBytes</c>); nothing was stored.</summary>
    OverQuota = 3,
}

[GenerateSerializer, Immutable, Alias("gstd.UploadResult")]
public sealed record UploadResult([property: Id(0)] UploadStatus Status, [property: Id(1)] string Id, [property: Id(2)] int Size, [property: Id(3)] string? Error);
