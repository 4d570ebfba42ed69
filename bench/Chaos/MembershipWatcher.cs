using System.Collections.Concurrent;
using Npgsql;

namespace Gstd.Bench.Chaos;

/// <summary>Polls the membership table and notes when each silo generation was first seen declared dead.</summary>
public sealed class MembershipWatcher(NpgsqlDataSource database) : IAsyncDisposable
{
    private const int Dead = 6;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConcurrentDictionary<(int Port, int Generation), DateTimeOffset> DeadSince { get; } = new();

    /// <summary>The watch stopped on an error, so deaths after it went unseen.</summary>
    public bool Faulted => _loop?.IsFaulted ?? false;

    public void Start() => _loop = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            await using (var cmd = database.CreateCommand("SELECT port, generation FROM orleans_membership WHERE status = @dead"))
            {
                cmd.Parameters.AddWithValue("dead", Dead);
                await using var reader = await cmd.ExecuteReaderAsync(_stop.Token);
                while (await reader.ReadAsync(_stop.Token))
                {
                    DeadSince.TryAdd((reader.GetInt32(0), reader.GetInt32(1)), DateTimeOffset.UtcNow);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
        }
    });

    /// <summary>The generation of the silo on a port that is a live member now.</summary>
    public async Task<(int Port, int Generation)?> ActiveOnAsync(int port)
    {
        await using var cmd = database.CreateCommand("SELECT generation FROM orleans_membership WHERE port = @port AND status = 3 ORDER BY generation DESC LIMIT 1");
        cmd.Parameters.AddWithValue("port", port);
        return await cmd.ExecuteScalarAsync() is int generation ? (port, generation) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await (_loop ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
