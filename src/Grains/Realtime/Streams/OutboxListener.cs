using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>
/// Listens on a connection of its own for the outbox's NOTIFY (sent by a trigger when a transaction that added rows
/// commits, naming their partitions) and wakes those partitions' receivers. While it is not listening — at start,
/// after a lost connection — every receiver is woken, and each one's slow safety poll covers the rest.
/// </summary>
public sealed class OutboxListener(NpgsqlDataSource dataSource, OutboxSignals signals, TimeProvider time, ILogger<OutboxListener> logger) : BackgroundService
{
    public const string Channel = "gstd_outbox";

    /// <summary>How often a listener waiting for notifications looks whether it is stopping.</summary>
    public static readonly TimeSpan StopCheck = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => signals.Wake(int.TryParse(e.Payload, out var partition) ? partition : -1);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Rows committed before the LISTEN took effect sent their NOTIFY to nobody.
                signals.WakeAll();
                backoff = TimeSpan.FromMilliseconds(100);
                try
                {
                    // Waits in short turns rather than by cancelling the wait: cancelling Npgsql's WaitAsync can
                    // deadlock (npgsql/npgsql#5975), and a wait that times out sends nothing to the server.
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(StopCheck, CancellationToken.None);
                    }
                }
                finally
                {
                    // The connection goes back to the pool (which does not reset it): it must not go on listening there.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                        await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                logger.LogWarning(e, "Listening for outbox commits failed; listening again in {Backoff}", backoff);
                signals.WakeAll();
                await Task.Delay(backoff, time, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
