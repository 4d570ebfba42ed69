using Gstd.Content;
using Gstd.Sandbox.Modules;
using Gstd.Tasks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gstd.Grains.Content;

/// <summary>
/// One content id. Uploads of the same bytes meet here one at a time, so the bytes are written once;
/// modules are validated (never compiled) before anything is stored.
/// </summary>
public sealed class ContentGrain(NpgsqlDataSource dataSource, ModuleValidator validator, IOptions<PlatformLimits> limits, TimeProvider time) : Grain, IContentGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<UploadResult> Upload(ContentKind kind, string accountId, byte[] bytes)
    {
        if (ContentId.Of(bytes) != Id)
        {
            throw new ArgumentException("The bytes do not hash to this content id.", nameof(bytes));
        }

        if (kind == ContentKind.Module && validator.Check(bytes) is { IsValid: false } invalid)
        {
            return new UploadResult(UploadStatus.Invalid, Id, bytes.Length, invalid.Error);
        }

        var status = await ContentStore.UploadAsync(dataSource, Id, bytes, kind, accountId, limits.Value.StorageQuotaBytes, time.GetUtcNow(), CancellationToken.None);
        return new UploadResult(status, Id, bytes.Length, null);
    }

    public Task<byte[]?> Download(ContentKind kind, string accountId, bool isAdmin) =>
        ContentStore.ReadAsync(dataSource, Id, kind, accountId, isAdmin, CancellationToken.None);

    public async Task<byte[]?> DownloadForTask(string accountId, string taskId) =>
        await GrainFactory.GetGrain<ITaskGrain>(taskId).LeaseAllows(accountId, Id)
            ? await ContentStore.ReadAnyAsync(dataSource, Id, CancellationToken.None)
            : null;
}
