using Gstd.Tasks;

namespace Gstd.Gateway.Tasks;

/// <summary>Task ids for Idempotency-Keys, with the platform's secret fetched once per silo (it never changes).</summary>
public sealed class IdempotentTaskIds(IGrainFactory grains)
{
    private byte[]? _secret;

    public async ValueTask<string> ForAsync(string accountId, string key)
    {
        _secret ??= await grains.GetGrain<ITaskIdKeyGrain>(0).Get();
        return TaskIds.ForIdempotencyKey(_secret, accountId, key);
    }
}
