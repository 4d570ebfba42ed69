using System.Security.Cryptography;
using System.Threading.Channels;
using Gstd.Protocol;
using Gstd.Tasks;
using Gstd.Workers;
using NSec.Cryptography;

namespace Gstd.StorageTests.Tasks;

/// <summary>Plays a worker agent against the grains: receives offers, signs results and solves proofs of work.</summary>
public sealed class FakeAgent : IWorkerSession, IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _heartbeats = new();
    private readonly List<Task> _loops = [];

    public Channel<TaskOffer> Offers { get; } = Channel.CreateUnbounded<TaskOffer>();

    public Channel<(string TaskId, long Lease, string Reason)> Revocations { get; } = Channel.CreateUnbounded<(string, long, string)>();

    public byte[] PublicKey => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public string WorkerId { get; set; } = "";

    /// <summary>The operator's account, to check what it earned.</summary>
    public string AccountId { get; init; } = "";

    /// <summary>This agent as an Orleans observer reference.</summary>
    public IWorkerSession? Session { get; set; }

    public Task Offered(TaskOffer offer) => Offers.Writer.WriteAsync(offer).AsTask();

    public Task Revoked(string taskId, long lease, string reason) => Revocations.Writer.WriteAsync((taskId, lease, reason)).AsTask();

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

    /// <summary>Connects with a signed hello, as the gateway does for an agent; answers the offers it holds.</summary>
    public async Task<IReadOnlyList<TaskOffer>?> ConnectAsync(IGrainFactory grains)
    {
        var nonce = Guid.NewGuid().ToString("N");
        return await grains.GetGrain<IWorkerGrain>(WorkerId).Connect(Session!, AccountId, nonce, SignHello(nonce));
    }

    /// <summary>Vouches for the agent every second like its gateway, and says hello again to a grain that lost it.</summary>
    public void StartHeartbeats(IGrainFactory grains) => _loops.Add(Task.Run(async () =>
    {
        while (!_stopping.IsCancellationRequested && !_heartbeats.IsCancellationRequested)
        {
            await Quietly(async () =>
            {
                if (!await grains.GetGrain<IWorkerGrain>(WorkerId).Heartbeat(Session!))
                {
                    foreach (var offer in await ConnectAsync(grains) ?? [])
                    {
                        await Offered(offer);
                    }
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
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // A silo died under the call: the lease runs out and the task finds another way.
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
        _key.Dispose();
    }
}
