using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;

namespace Gstd.Bench.EndToEnd;

/// <summary>
/// Hangfire with Hangfire.PostgreSql on the same server, set up for throughput as its documentation says: long
/// polling (LISTEN/NOTIFY) with the shortest poll interval, delayed jobs (retries) polled every 100 ms, one worker
/// per unit of GSTD's concurrency, automatic retries on.
/// </summary>
public sealed class HangfirePeer : IApplyStateFilter, IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _succeeded = new(StringComparer.Ordinal);
    private readonly string _connectionString;
    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _client;

    public HangfirePeer(string connectionString)
    {
        _connectionString = connectionString;
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        _storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, Options, null), Options);
        GlobalJobFilters.Filters.Add(this);
        _client = new BackgroundJobClient(_storage);
    }

    public static PostgreSqlStorageOptions Options { get; } = new()
    {
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromMilliseconds(50),
        PrepareSchemaIfNecessary = true,
    };

    /// <summary>Runs the closed loop against a server with <paramref name="workers"/> workers; answers enqueue→succeeded latencies.</summary>
    public async Task<IReadOnlyList<double>> RunAsync(int count, int clients, int workers, int failures)
    {
        var before = await SucceededAsync();
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = workers,
            SchedulePollingInterval = TimeSpan.FromMilliseconds(100),
            ServerName = $"bench-{workers}-{Guid.NewGuid():N}",
        }, _storage);
        var latencies = await ClosedLoop.RunAsync(count, clients, async i =>
        {
            var key = Guid.NewGuid().ToString("N");
            var done = _succeeded.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var watch = Stopwatch.StartNew();
            _client.Enqueue(() => EchoJob.Run(key, Convert.ToBase64String(BitConverter.GetBytes(Random.Shared.NextInt64())), failures));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
            _succeeded.TryRemove(key, out _);
            return watch.Elapsed.TotalMilliseconds;
        });
        // The signal comes as the Succeeded state is written, inside its transaction: wait for every commit.
        while (await SucceededAsync() < before + count)
        {
            await Task.Delay(10);
        }

        return latencies;
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is SucceededState && context.BackgroundJob.Job.Args[0] is string key && _succeeded.TryGetValue(key, out var done))
        {
            done.TrySetResult();
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private async Task<long> SucceededAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public void Dispose() => GlobalJobFilters.Filters.Remove(this);
}
