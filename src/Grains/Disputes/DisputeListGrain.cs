using Gstd.Disputes;
using Gstd.Tasks;
using Npgsql;
using Orleans.Concurrency;

namespace Gstd.Grains.Disputes;

/// <summary>Reads dispute lists from the disputes table; stateless, so reads spread over silos.</summary>
[StatelessWorker]
public sealed class DisputeListGrain(NpgsqlDataSource dataSource) : Grain, IDisputeListGrain
{
    public async Task<DisputePage> List(DisputeQuery query)
    {
        var account = this.GetPrimaryKeyString();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await DisputeStore.ListAsync(connection, account == IDisputeListGrain.Everyone ? null : account, query, CancellationToken.None);
        var items = rows.Take(query.Limit).Select(d => d.ToSummary()).ToList();
        return new DisputePage(items, rows.Count > query.Limit ? new TaskCursor(items[^1].OpenedAt, items[^1].Id) : null);
    }
}
