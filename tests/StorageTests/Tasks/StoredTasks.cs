using Npgsql;

namespace Gstd.StorageTests.Tasks;

/// <summary>What the tasks table holds, as opposed to what an activation has in memory.</summary>
public static class StoredTasks
{
    public static async Task<string?> StatusAsync(NpgsqlDataSource dataSource, string taskId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT status FROM tasks WHERE id = @id");
        cmd.Parameters.AddWithValue("id", taskId);
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
