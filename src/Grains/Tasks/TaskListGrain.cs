using Gstd.Tasks;
using Npgsql;
using Orleans.Concurrency;

namespace Gstd.Grains.Tasks;

/// <summary>Reads one client's task list from the tasks table; stateless, so reads spread over silos.</summary>
[StatelessWorker]
public sealed class TaskListGrain(NpgsqlDataSource dataSource) : Grain, ITaskListGrain
{
    public async Task<TaskPage> List(TaskQuery query)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await TaskStore.ListAsync(connection, this.GetPrimaryKeyString(), query, CancellationToken.None);
        var items = rows.Take(query.Limit)
            .Select(t => new TaskSummary(t.Id, t.Status, t.Body.Reason, t.ModuleId, t.Price, t.Fee, t.Body.Escrow.State, t.CreatedAt, t.UpdatedAt, t.WorkerCell))
            .ToList();
        return new TaskPage(items, rows.Count > query.Limit ? new TaskCursor(items[^1].CreatedAt, items[^1].Id) : null);
    }

    public async Task<DeadLetterPage> DeadLetters(DeadLetterQuery query)
    {
        var client = this.GetPrimaryKeyString();
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await TaskStore.DeadLettersAsync(connection, client == ITaskListGrain.Everyone ? null : client, query, CancellationToken.None);
        var items = rows.Take(query.Limit).ToList();
        return new DeadLetterPage(
            items.Select(t => t.ToView()).ToList(),
            rows.Count > query.Limit ? new TaskCursor(items[^1].UpdatedAt, items[^1].Id) : null);
    }
}
