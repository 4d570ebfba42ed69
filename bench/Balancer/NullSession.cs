using Gstd.Workers;

namespace Gstd.Bench.Balancer;

/// <summary>The agents' end of the benchmark: reservations are released by the driver, and no connection is ever replaced.</summary>
public sealed class NullSession : IWorkerSession
{
    public Task Replaced() => Task.CompletedTask;
}
