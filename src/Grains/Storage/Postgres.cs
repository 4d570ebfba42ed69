using Npgsql;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace Gstd.Grains.Storage;

/// <summary>
/// PostgreSQL through the <see cref="Pipeline"/> resilience pipeline: a unit of work that meets a transient
/// fault (a dropped connection, a server restart or failover, a pool timeout) runs again from the start on a
/// fresh connection. Once COMMIT has been sent the outcome is unknown, so a failure there is never retried:
/// it surfaces as <see cref="CommitOutcomeUnknownException"/> and the caller reloads what it wrote.
/// </summary>
public sealed class Postgres(NpgsqlDataSource dataSource, ResiliencePipelineProvider<string> pipelines)
{
    public const string Pipeline = "postgres";

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(Pipeline);

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Retries of transient faults: quick and few, since a caller (a grain call) is waiting.</summary>
    public static void Configure(ResiliencePipelineBuilder builder, NpgsqlDataSource dataSource) =>
        builder.AddRetry(new RetryStrategyOptions
        {
            // A server shutting down or restarting ends its sessions with 57P01/57P02 before the socket closes.
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e =>
                e.IsTransient || e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown }),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            OnRetry = _ =>
            {
                // After a server restart every pooled connection is dead: drop them all, not one per retry.
                dataSource.Clear();
                return ValueTask.CompletedTask;
            },
        });

    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            return await read(connection, token);
        }, ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, then commits if <paramref name="commit"/> says so of its
    /// result and rolls back otherwise. The work may run more than once, so it must not change anything
    /// outside the transaction.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlTransaction, CancellationToken, Task<T>> work, Func<T, bool> commit, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await using var tx = await connection.BeginTransactionAsync(token);
            var result = await work(tx, token);
            if (!commit(result))
            {
                await tx.RollbackAsync(token);
                return result;
            }

            try
            {
                await tx.CommitAsync(token);
            }
            catch (NpgsqlException e)
            {
                throw new CommitOutcomeUnknownException(e);
            }

            return result;
        }, ct);
}
