using Gstd.Tasks;
using Npgsql;
using Orleans.Concurrency;

namespace Gstd.Grains.Tasks;

/// <summary>Reads the task-id secret that migration 0013 made, once per activation; every silo answers it locally.</summary>
[StatelessWorker]
public sealed class TaskIdKeyGrain(NpgsqlDataSource dataSource) : Grain, ITaskIdKeyGrain
{
    private byte[]? _key;

    public async Task<byte[]> Get()
    {
        if (_key is null)
        {
            await using var cmd = dataSource.CreateCommand("SELECT value FROM platform_secrets WHERE name = 'task_ids'");
            _key = (byte[]?)await cmd.ExecuteScalarAsync()
                ?? throw new InvalidOperationException("The task-id secret is missing: the database was not migrated.");
        }

        return _key;
    }
}
