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
    /// Sends what was added since the last send followed by <paramref name="query"/>, in the same round trip, and
    /// reads the query's rows; the statements before it must return none.
    /// </summary>
    public async Task<List<T>> QueryAsync<T>(NpgsqlBatchCommand query, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(tx.Connection, tx);
        _commands.ForEach(batch.BatchCommands.Add);
        _commands.Clear();
        batch.BatchCommands.Add(query);
        var rows = new List<T>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
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
