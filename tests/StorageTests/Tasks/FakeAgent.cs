using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Gstd.Protocol;
using Gstd.Realtime;
using Gstd.Tasks;
using Gstd.Workers;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Gstd.StorageTests.Tasks;

/// <summary>
/// Plays a worker agent and its gateway against the grains: follows the worker's stream through a live silo (as the
/// gateway holding its socket does), receives offers and revocations there, signs results and solves proofs of work.
/// </summary>
public sealed class FakeAgent(InProcessTestCluster cluster) : IWorkerSession, IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _heartbeats = new();
    private readonly List<Task> _loops = [];
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private StreamSubscriptionHandle<TopicEvent>? _following;
    private InProcessSiloHandle? _gateway;

    public Channel<TaskOffer> Offers { get; } = Channel.CreateUnbounded<TaskOffer>();

    public Channel<(string TaskId, long Lease, string Reason)> Revocations { get; } = Channel.CreateUnbounded<(string, long, string)>();

    public byte[] PublicKey => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public string WorkerId { get; set; } = "";

    /// <summary>The operator's account, to check what it earned.</summary>
    public string AccountId { get; init; } = "";

    /// <summary>This agent as an Orleans observer reference.</summary>
    public IWorkerSession? Session { get; set; }

    public Task Replaced() => Task.CompletedTask;

    public byte[] SignHello(string nonce) => SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.HelloMessage(WorkerId, nonce));

    /// <summary>The next new offer (not a lease confirmation) of the given task.</summary>
    public async Task<TaskOffer> NextOfferAsync(string taskId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var offer = await Offers.Reader.ReadAsync(timeout.Token);
            if (!offer.Accepted && offer.TaskId == taskId)
            {
                return offer;
            }
        }
    }

    public WorkResult Result(TaskOffer offer, byte[] output, ulong? powNonce = null, byte[]? signature = null)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(output));
        var nonce = powNonce ?? WorkerProof.SolvePow(offer.TaskId, offer.Lease, hash, WorkerId, offer.PowDifficulty);
        var signed = signature ?? SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.ResultMessage(offer.TaskId, offer.Lease, hash, nonce));
        return new WorkResult(WorkerId, offer.TaskId, offer.Lease, output, hash, 1000, 5, nonce, signed);
    }

    /// <summary>
    /// Connects as an agent (re)connecting through <paramref name="through"/> — by default its last silo while that
    /// lives, else the first live one: follows the worker's stream there, then says a signed hello, after which the
    /// grain sends the open offers and leases on the stream. False when refused.
    /// </summary>
    public async Task<bool> ConnectAsync(InProcessSiloHandle? through = null)
    {
        await _connecting.WaitAsync();
        try
        {
            await UnfollowAsync();
            _gateway = through ?? (_gateway is { } last && cluster.Silos.Contains(last) ? last : cluster.Silos[0]);
            var stream = _gateway.ServiceProvider.GetRequiredService<IClusterClient>()
                .GetStreamProvider(TopicStreams.Provider).GetStream<TopicEvent>(TopicStreams.StreamOf("worker:" + WorkerId));
            _following = await stream.SubscribeAsync((e, _) => TakeAsync(e));
            var nonce = Guid.NewGuid().ToString("N");
            return await cluster.Client.GetGrain<IWorkerGrain>(WorkerId).Connect(Session!, AccountId, nonce, SignHello(nonce));
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>The socket dropped without a close: its gateway stops following the stream and tells the grain so.</summary>
    public async Task DropAsync()
    {
        await _connecting.WaitAsync();
        try
        {
            await UnfollowAsync();
            await cluster.Client.GetGrain<IWorkerGrain>(WorkerId).Disconnect(Session!, clean: false);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task UnfollowAsync()
    {
        if (_following is not null)
        {
            // The old subscription's silo may be dead: whatever it would still deliver, the new one delivers too.
            await Quietly(() => _following.UnsubscribeAsync());
            _following = null;
        }
    }

    /// <summary>Reads an offer or revocation as the agent gets it (the event object of its frame); history passes by.</summary>
    private Task TakeAsync(TopicEvent e)
    {
        if (e.IsHistory)
        {
            return Task.CompletedTask;
        }

        var body = JsonDocument.Parse(e.PayloadJson).RootElement;
        var (taskId, lease) = (body.GetProperty("taskId").GetString()!, body.GetProperty("lease").GetInt64());
        if (e.Kind == "task.revoked")
        {
            return Revocations.Writer.WriteAsync((taskId, lease, body.GetProperty("reason").GetString()!)).AsTask();
        }

        var limits = body.GetProperty("limits");
        var offer = new TaskOffer(
            taskId, lease, body.GetProperty("moduleId").GetString()!, body.GetProperty("inputId").GetString()!,
            TaskSpec.Default with
            {
                TimeoutSeconds = limits.GetProperty("timeoutSeconds").GetInt32(),
                MaxFuel = limits.GetProperty("maxFuel").GetInt64(),
                MemoryLimitMb = limits.GetProperty("memoryLimitMb").GetInt32(),
            },
            body.GetProperty("seed").GetString()!, body.GetProperty("powDifficulty").GetInt32(), body.GetProperty("acceptBy").GetDateTimeOffset(),
            body.GetProperty("leaseExpiresAt").ValueKind == JsonValueKind.Null ? null : body.GetProperty("leaseExpiresAt").GetDateTimeOffset(),
            body.GetProperty("accepted").GetBoolean(),
            body.GetProperty("input").ValueKind == JsonValueKind.Null ? null : body.GetProperty("input").GetBytesFromBase64());
        return Offers.Writer.WriteAsync(offer).AsTask();
    }

    /// <summary>Vouches for the agent every second like its gateway, and says hello again to a grain that lost it.</summary>
    public void StartHeartbeats() => _loops.Add(Task.Run(async () =>
    {
        while (!_stopping.IsCancellationRequested && !_heartbeats.IsCancellationRequested)
        {
            await Quietly(async () =>
            {
                if (!await cluster.Client.GetGrain<IWorkerGrain>(WorkerId).Heartbeat(Session!))
                {
                    await ConnectAsync();
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(1), _heartbeats.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }));

    /// <summary>The agent's gateway goes quiet (the socket is gone without a word).</summary>
    public void StopHeartbeats() => _heartbeats.Cancel();

    /// <summary>Accepts every new offer and returns <paramref name="output"/> at once, riding out silos that die.</summary>
    public void StartWorking(IGrainFactory grains, byte[] output) => _loops.Add(Task.Run(async () =>
    {
        await foreach (var offer in Offers.Reader.ReadAllAsync(_stopping.Token).WithCancellation(_stopping.Token).ConfigureAwait(false))
        {
            if (!offer.Accepted)
            {
                var task = grains.GetGrain<ITaskGrain>(offer.TaskId);
                await Quietly(async () =>
                {
                    if ((await task.AcceptOffer(WorkerId, offer.Lease)).Accepted)
                    {
                        await task.Complete(Result(offer, output));
                    }
                });
            }
        }
    }));

    private static async Task Quietly(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or ObjectDisposedException)
        {
            // A silo died under the call (or with the client it was made through): the lease runs out and the task
            // finds another way.
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _heartbeats.Cancel();
        try
        {
            Task.WaitAll([.. _loops]);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
        }

        _stopping.Dispose();
        _heartbeats.Dispose();
        _connecting.Dispose();
        _key.Dispose();
    }
}
