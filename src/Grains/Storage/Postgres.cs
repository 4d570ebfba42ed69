using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Gstd.Grains.Storage;

/// <summary>
/// PostgreSQL through the <see cref="Pipeline"/> resilience pipeline: a unit of work that meets a transient
/// fault (a dropped connection, a server restart or failover, a deadlock) runs again from the start on a
/// fresh connection. Once COMMIT has been sent the outcome is unknown, so a failure there is never retried:
/// the caller's resolver reads what happened, or <see cref="CommitOutcomeUnknownException"/> surfaces.
/// </summary>
public sealed class Postgres(NpgsqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines, IEnumerable<ICommitObserver> observers)
{
    public const string Pipeline = "postgres";

    private readonly ICommitObserver[] _observers = [.. observers];

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(Pipeline);

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// Quick and few retries, within 10 s in all, since a grain call is waiting (Orleans gives up on it after
    /// 30 s). An exhausted pool is not retried: waiting longer for a connection only queues more work behind it.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder builder, NpgsqlDataSource dataSource) =>
        builder
            .AddTimeout(TimeSpan.FromSeconds(10))
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => IsBrokenConnection(e) || (e.IsTransient && e.InnerException is not TimeoutException)),
                MaxRetryAttempts = 4,
                Delay = TimeSpan.FromMilliseconds(100),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    // After a server restart every pooled connection is dead: drop them all, not one per retry.
                    if (args.Outcome.Exception is NpgsqlException e && IsBrokenConnection(e))
                    {
                        dataSource.Clear();
                    }

                    return ValueTask.CompletedTask;
                },
            });

    /// <summary>The session is gone: the server ended it (57P01/57P02, a restart) or the socket broke.</summary>
    private static bool IsBrokenConnection(NpgsqlException e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown }
        || e.InnerException is IOException or SocketException;

    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await read(connection, token);
        }, ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, then commits if <paramref name="commit"/> says so of its
    /// result and rolls back otherwise. The work may run more than once, so it must not change anything
    /// outside the transaction. When the connection fails during COMMIT, <paramref name="whenCommitUnknown"/>
    /// (if given) decides the result from what the database now holds.
    /// </summary>
    public async Task<T> WriteAsync<T>(
        Func<NpgsqlTransaction, CancellationToken, Task<T>> work, Func<T, bool> commit, CancellationToken ct, Func<Task<T>>? whenCommitUnknown = null)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                await using var tx = await connection.BeginTransactionAsync(token);
                var result = await work(tx, token);
                if (!commit(result))
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    return result;
                }

                try
                {
                    // Never cancelled: a COMMIT abandoned half-way would leave its outcome unknown for no reason.
                    await tx.CommitAsync(CancellationToken.None);
                }
                catch (NpgsqlException e)
                {
                    throw new CommitOutcomeUnknownException(e);
                }

                foreach (var observer in _observers)
                {
                    observer.Committed(tx);
                }

                return result;
            }, ct);
        }
        catch (CommitOutcomeUnknownException) when (whenCommitUnknown is not null)
        {
            return await whenCommitUnknown();
        }
    }
}
