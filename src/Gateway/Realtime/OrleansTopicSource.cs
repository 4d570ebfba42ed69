using Gstd.Realtime;
using Orleans.Streams;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// Topics on Orleans: a subscription to the topic's stream of the outbox provider (one per silo and topic, made by the
/// silo's shared topic) and history read by the silo's local <see cref="ITopicHistoryGrain"/>.
/// </summary>
public sealed class OrleansTopicSource(IClusterClient client) : ITopicSource
{
    private ITopicHistoryGrain History => client.GetGrain<ITopicHistoryGrain>(0);

    public Task<Subscription> ReadAsync(string topic, string? sinceEpoch, long? sinceOffset) => History.Read(topic, sinceEpoch, sinceOffset);

    public Task<IReadOnlyDictionary<string, TopicPosition>> HeadsAsync(IReadOnlyList<string> topics) => History.Heads(topics);

    public async Task<IAsyncDisposable> FollowAsync(string topic, TopicToken? from, Func<string, IReadOnlyList<TopicEvent>, Task> deliver)
    {
        var stream = client.GetStreamProvider(TopicStreams.Provider).GetStream<TopicEvent>(TopicStreams.StreamOf(topic));
        var handle = await stream.SubscribeAsync(new BatchObserver(deliver), from);
        return new Following(handle);
    }

    /// <summary>Hands each delivered batch on in runs of one epoch; never throws, so the agent never retries or faults it.</summary>
    private sealed class BatchObserver(Func<string, IReadOnlyList<TopicEvent>, Task> deliver) : IAsyncBatchObserver<TopicEvent>
    {
        public async Task OnNextAsync(IList<SequentialItem<TopicEvent>> items)
        {
            var run = new List<TopicEvent>(items.Count);
            string? epoch = null;
            foreach (var item in items)
            {
                var token = (TopicToken)item.Token;
                if (epoch is not null && token.Epoch != epoch)
                {
                    await deliver(epoch, run);
                    run = [];
                }

                epoch = token.Epoch;
                run.Add(item.Item);
            }

            if (epoch is not null)
            {
                await deliver(epoch, run);
            }
        }

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }

    private sealed class Following(StreamSubscriptionHandle<TopicEvent> handle) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await handle.UnsubscribeAsync();
    }
}
