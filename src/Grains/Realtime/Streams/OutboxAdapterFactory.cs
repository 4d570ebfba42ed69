using Gstd.Grains.Storage;
using Gstd.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Streams;

namespace Gstd.Grains.Realtime.Streams;

/// <summary>Builds the outbox stream provider's parts: the adapter, the per-partition cache and the partition map.</summary>
public sealed class OutboxAdapterFactory(string name, Postgres db, OutboxSignals signals, TimeProvider time, ILoggerFactory loggers) : IQueueAdapterFactory, IQueueAdapterCache
{
    private readonly HashRingBasedStreamQueueMapper _mapper = new(new HashRingStreamQueueMapperOptions { TotalQueueCount = TopicStreams.Partitions }, name);

    public static OutboxAdapterFactory Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<OutboxAdapterFactory>(services, name);

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(new OutboxQueueAdapter(name, db, signals, time, loggers));

    public IQueueAdapterCache GetQueueAdapterCache() => this;

    public IQueueCache CreateQueueCache(QueueId queueId) => new TopicQueueCache();

    /// <summary>
    /// Which partition a stream's rows are in is computed by the database (migration 0016); this map only names the
    /// partitions, for the balancer to share out and the agents to read.
    /// </summary>
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}
