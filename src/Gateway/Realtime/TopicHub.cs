using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// The silo's shared topic subscriptions: one per topic however many local sockets follow it, dropped a while after
/// the last one lets go. Every few seconds one read of where all of them stand in history finds any that fell behind —
/// an event lost on the way, a topic that restarted after a crash — and catches it up or answers <c>resync</c>.
/// </summary>
public sealed class TopicHub(ITopicSource source, TimeProvider time, ILogger<TopicHub> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a topic that no socket holds is still followed: sockets that come back within it (a dropped network,
    /// a reloaded page, a silo's clients reconnecting) catch up from its recent frames instead of reading history.
    /// </summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, SharedTopic> _topics = new(StringComparer.Ordinal);

    /// <summary>The streams themselves, for a socket's own subscription (an agent's feed of its worker).</summary>
    public ITopicSource Source => source;

    /// <summary>How many subscriptions of this silo's sockets share the topic (0 when none does, lingering or not).</summary>
    public int HoldersOf(string grainTopic)
    {
        lock (_topics)
        {
            return _topics.TryGetValue(grainTopic, out var topic) ? topic.Holders : 0;
        }
    }

    /// <summary>Takes a hold on a topic for one subscription; pair with <see cref="ReleaseAsync"/>.</summary>
    public SharedTopic Hold(string grainTopic)
    {
        lock (_topics)
        {
            if (!_topics.TryGetValue(grainTopic, out var topic))
            {
                topic = new SharedTopic(grainTopic, source, logger);
                _topics[grainTopic] = topic;
            }

            topic.Holders++;
            topic.IdleSince = null;
            return topic;
        }
    }

    public async Task ReleaseAsync(SharedTopic topic, TopicListener? listener)
    {
        if (listener is not null)
        {
            await topic.DetachAsync(listener);
        }

        lock (_topics)
        {
            if (--topic.Holders == 0)
            {
                topic.IdleSince = time.GetTimestamp();
            }
        }
    }

    /// <summary>Stops following the topics no socket has held for <see cref="Linger"/>.</summary>
    public Task LetGoOfIdleAsync() => LetGoAsync(t => t.IdleSince is { } since && time.GetElapsedTime(since) >= Linger);

    private async Task LetGoAsync(Func<SharedTopic, bool> which)
    {
        List<SharedTopic> gone;
        lock (_topics)
        {
            gone = [.. _topics.Values.Where(which)];
            gone.ForEach(t => _topics.Remove(t.GrainTopic));
        }

        foreach (var topic in gone)
        {
            try
            {
                await topic.CloseAsync();
            }
            catch (Exception e)
            {
                // The stream forgets a subscriber it cannot reach anyway.
                logger.LogDebug(e, "Unsubscribing from {Topic} failed", topic.GrainTopic);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await LetGoOfIdleAsync();
                List<SharedTopic> current;
                lock (_topics)
                {
                    current = [.. _topics.Values];
                }

                if (current.Count == 0)
                {
                    continue;
                }

                try
                {
                    var stored = await source.HeadsAsync([.. current.Select(t => t.GrainTopic)]);
                    await Parallel.ForEachAsync(current, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken }, async (topic, _) =>
                    {
                        if (stored.TryGetValue(topic.GrainTopic, out var position))
                        {
                            await topic.RefreshAsync(position);
                        }
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Refreshing the shared topics failed; the next round tries again");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        // A stopping silo unsubscribes from every topic, lingering or not, rather than leave it to the stream to notice.
        await LetGoAsync(_ => true);
    }
}
