namespace Gstd.Tasks;

/// <summary>The platform's secret key for the ids of tasks submitted with an Idempotency-Key (<see cref="TaskIds.ForIdempotencyKey"/>).</summary>
[Alias("gstd.ITaskIdKeyGrain")]
public interface ITaskIdKeyGrain : IGrainWithIntegerKey
{
    [Alias("Get")]
    Task<byte[]> Get();
}
