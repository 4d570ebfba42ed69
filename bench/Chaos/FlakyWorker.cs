using System.Net.WebSockets;
using System.Text.Json;
using Gstd.Client;
using Gstd.Protocol;
using NSec.Cryptography;

namespace Gstd.Bench.Chaos;

/// <summary>
/// A logical worker that accepts every offer and reports it failed: the "fails, then succeeds elsewhere"
/// part of the mix, as a misbehaving machine would make it. It moves to the next silo when its socket drops.
/// </summary>
public sealed class FlakyWorker(IReadOnlyList<Uri> servers, string apiKey, string name, int capacity) : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);

    public int Failed;

    public async Task RunAsync(CancellationToken ct)
    {
        var server = 0;
        var workerId = await Cluster.RetryAsync(servers, apiKey, async client =>
            (await client.RegisterWorkerAsync(name, _key.PublicKey.Export(KeyBlobFormat.RawPublicKey), capacity, null, null)).GetProperty("id").GetString()!, ct);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ServeAsync(servers[server], workerId, ct);
            }
            catch (Exception e) when (e is WebSocketException or GstdApiException or IOException or JsonException or TimeoutException)
            {
                // Reconnect below, to the next silo.
            }

            server = (server + 1) % servers.Count;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Uri server, string workerId, CancellationToken ct)
    {
        await using var socket = new GstdSocket();
        await socket.ConnectAsync(server, apiKey, ct);
        var nonce = (await socket.Frames.ReadAsync(ct)).GetProperty("nonce").GetString()!;
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.HelloMessage(workerId, nonce));
        await socket.RequestAsync("hello", new { workerId, nonce, signature = Convert.ToBase64String(signature) }, ct);
        await foreach (var frame in socket.Frames.ReadAllAsync(ct))
        {
            if (frame.GetProperty("type").GetString() != "event" || frame.GetProperty("event").GetProperty("kind").GetString() != "task.offered")
            {
                continue;
            }

            var offer = frame.GetProperty("event");
            var taskId = offer.GetProperty("taskId").GetString()!;
            var lease = offer.GetProperty("lease").GetInt64();
            try
            {
                if (!offer.GetProperty("accepted").GetBoolean())
                {
                    await socket.RequestAsync("accept", new { taskId, lease }, ct);
                }

                await socket.RequestAsync("fail", new { taskId, lease, error = new { code = "flaky_worker", message = "This worker fails everything (chaos bench)." } }, ct);
                Interlocked.Increment(ref Failed);
            }
            catch (GstdApiException)
            {
                // The lease ended meanwhile: nothing to fail.
            }
        }
    }

    public void Dispose() => _key.Dispose();
}
