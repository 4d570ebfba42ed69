using Gstd.Trust;
using Gstd.Workers;
using Npgsql;
using Orleans.Concurrency;

namespace Gstd.Grains.Workers;

[StatelessWorker]
public sealed class WorkerListGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IWorkerListGrain
{
    public async Task<IReadOnlyList<WorkerView>> List() =>
        (await WorkerStore.ListAsync(dataSource, this.GetPrimaryKeyString(), CancellationToken.None))
            .Select(w => w.ToView(time.GetUtcNow()))
            .ToList();

    public async Task TrustChanged(TrustStanding standing)
    {
        foreach (var worker in await WorkerStore.ListAsync(dataSource, this.GetPrimaryKeyString(), CancellationToken.None))
        {
            await GrainFactory.GetGrain<IWorkerGrain>(worker.Id).TrustChanged(standing);
        }
    }
}
