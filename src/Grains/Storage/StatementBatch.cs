using Npgsql;

namespace Gstd.Grains.Storage;

/// <summary>
/// Statements of one transaction whose results are not needed one at a time: sent in one round trip, each
/// statement's row count read from its command afterwards. A statement that fails fails the transaction.
/// </summary>
public sealed class StatementBatch(NpgsqlTransaction tx)
{
    private readonly List<NpgsqlBatchCommand> _commands = [];

    public NpgsqlTransaction Transaction => tx;

    /// <summary>Adds a statement; bind its parameters on the command returned.</summary>
    public NpgsqlBatchCommand Add(string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        _commands.Add(command);
        return command;
    }

    /// <summary>
    /// Sends what was added since the last send followed by <paramref name="queries"/>, in the same round trip, and
    /// hands each query's rows to its reader in turn; the statements before them must return none.
    /// </summary>
    public async Task ReadAsync(IReadOnlyList<(NpgsqlBatchCommand Query, Action<NpgsqlDataReader> Row)> queries, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(tx.Connection, tx);
        _commands.ForEach(batch.BatchCommands.Add);
        _commands.Clear();
        foreach (var (query, _) in queries)
        {
            batch.BatchCommands.Add(query);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct);
        foreach (var (_, row) in queries)
        {
            while (await reader.ReadAsync(ct))
            {
                row(reader);
            }

            await reader.NextResultAsync(ct);
        }
    }

    /// <summary>Sends what was added since the last send; <see cref="NpgsqlBatchCommand.RecordsAffected"/> then holds each count.</summary>
    public async Task ExecuteAsync(CancellationToken ct)
    {
        if (_commands.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(tx.Connection, tx);
        _commands.ForEach(batch.BatchCommands.Add);
        _commands.Clear();
        await batch.ExecuteNonQueryAsync(ct);
    }
}
