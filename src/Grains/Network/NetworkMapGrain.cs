using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Gstd.Network;
using Gstd.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gstd.Grains.Network;

/// <summary>
/// Keeps the latest presence of every worker in memory (a worker silent for 20 s is gone — workers report every
/// 5 s, so a restarted map is whole again within seconds) and, once a second, publishes the cells that changed.
/// </summary>
public sealed class NetworkMapGrain(Postgres db, IOptions<NetworkMapOptions> options, TimeProvider time, ILogger<NetworkMapGrain> logger) : Grain, INetworkMapGrain
{
    public const string Topic = "network";
    public static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, (WorkerPresence Presence, DateTimeOffset Seen)> _workers = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<GeoCell, MapCell> _published = new Dictionary<GeoCell, MapCell>();
    private long _lastEventId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(PublishChangesAsync, new GrainTimerCreationOptions(PublishEvery, PublishEvery) { Interleave = false });
        return Task.CompletedTask;
    }

    public Task Report(WorkerPresence presence)
    {
        if (presence.Online)
        {
            _workers[presence.WorkerId] = (presence, time.GetUtcNow());
        }
        else
        {
            _workers.Remove(presence.WorkerId);
        }

        return Task.CompletedTask;
    }

    public Task<NetworkMap> Get() => Task.FromResult(new NetworkMap(time.GetUtcNow(), [.. Current().Values]));

    private IReadOnlyDictionary<GeoCell, MapCell> Current()
    {
        var now = time.GetUtcNow();
        foreach (var (id, _) in _workers.Where(w => now - w.Value.Seen > Silence).ToList())
        {
            _workers.Remove(id);
        }

        return MapCells.Count(_workers.Values.Select(w => w.Presence), options.Value.MinWorkersPerCell);
    }

    private async Task PublishChangesAsync(CancellationToken ct)
    {
        var current = Current();
        var changes = MapCells.Changes(_published, current);
        if (changes.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        // Unique per topic across activations: at most one event a second, numbered by the millisecond.
        _lastEventId = Math.Max(_lastEventId + 1, now.ToUnixTimeMilliseconds());
        try
        {
            await db.WriteAsync(async (tx, token) =>
            {
                await Outbox.AppendAsync(tx, Topic, "network.updated", "network", _lastEventId, new { cells = changes }, now, token);
                return true;
            }, _ => true, ct);
            _published = current;
        }
        catch (Exception e)
        {
            // The next tick publishes the difference again.
            logger.LogWarning(e, "Publishing the network map failed");
        }
    }
}
