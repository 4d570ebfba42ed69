using Gstd.Workers;

namespace Gstd.Bench.Balancer;

/// <summary>The agents' end of the benchmark: reservations are released by the driver, so nothing arrives here that matters.</summary>
public sealed class NullSession : IWorkerSession
{
    public Task Offered(TaskOffer offer) => Task.CompletedTask;

    public Task Revoked(string taskId, long lease, string reason) => Task.CompletedTask;

    public Task Replaced() => Task.CompletedTask;
}
