using Gstd.Realtime;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gstd.Grains.Realtime;

/// <summary>
/// Hands committed outbox rows to their topics in order, then deletes them. A row is deleted only after
/// its topic took it, so a crash in between re-sends it (topics ignore ids they have seen).
/// </summary>
public sealed class OutboxRelayGrain(NpgsqlDataSource dataSource, ILogger<OutboxRelayGrain> logger) : Grain, IOutboxRelayGrain, IRemindable
{
    private const int Batch = 500;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private IGrainTimer? _timer;

    /// <summary>Cheap to repeat: the reminder is written once per activation.</summary>
    public async Task Start()
    {
        if (_timer is null)
        {
            await this.RegisterOrUpdateReminder("keep-alive", TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            _timer = this.RegisterGrainTimer(RelayAsync, new GrainTimerCreationOptions(Interval, Interval) { KeepAlive = true });
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Start();

    private async Task RelayAsync(CancellationToken ct)
    {
        try
        {
            var rows = new List<(string Topic, TopicEvent Event)>();
            await using (var read = dataSource.CreateCommand("SELECT id, topic, kind, payload::text, created_at FROM outbox ORDER BY id LIMIT @limit"))
            {
                read.Parameters.AddWithValue("limit", Batch);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetString(1), new TopicEvent(reader.GetInt64(0), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(3), 0)));
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            foreach (var topic in rows.GroupBy(r => r.Topic))
            {
                await GrainFactory.GetGrain<ITopicGrain>(topic.Key).Publish(topic.Select(r => r.Event).ToList());
            }

            await using var delete = dataSource.CreateCommand("DELETE FROM outbox WHERE id = ANY(@ids)");
            delete.Parameters.AddWithValue("ids", rows.Select(r => r.Event.Id).ToArray());
            await delete.ExecuteNonQueryAsync(ct);
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning(e, "Relaying the outbox failed; the next tick retries");
        }
    }
}
