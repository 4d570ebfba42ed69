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

    public void Dispose() => _key.Dispose();
}
