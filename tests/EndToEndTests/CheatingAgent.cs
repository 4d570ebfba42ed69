using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Protocol;
using NSec.Cryptography;

namespace Gstd.EndToEndTests;

/// <summary>
/// A worker built from the client library that runs nothing: it answers the echo module's offers from the input
/// itself, honestly for its first <c>honestFirst</c> tasks (to earn a run of verified results), then with a
/// forged output. Every result is signed with its registered key and carries a valid proof of work, so only
/// running the task again can tell.
/// </summary>
public sealed class CheatingAgent : IAsyncDisposable
{
    public static readonly byte[] Forged = "echo:forged"u8.ToArray();

    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly CancellationTokenSource _stop = new();
    private readonly GstdClient _http;
    private readonly int _honestFirst;
    private RealtimeConnection? _connection;
    private Task? _loop;
    private int _answered;

    private CheatingAgent(GstdClient http, int honestFirst)
    {
        _http = http;
        _honestFirst = honestFirst;
    }

    public string WorkerId { get; private set; } = "";

    /// <summary>The tasks it answered with <see cref="Forged"/>.</summary>
    public ConcurrentBag<string> Cheated { get; } = [];

    public static async Task<CheatingAgent> StartAsync(Uri server, string apiKey, int honestFirst)
    {
        var agent = new CheatingAgent(new GstdClient(server, apiKey), honestFirst);
        var registered = await agent._http.RegisterWorkerAsync("sleeper", agent._key.PublicKey.Export(KeyBlobFormat.RawPublicKey), 1, null, null);
        var workerId = agent.WorkerId = registered.GetProperty("id").GetString()!;
        agent._connection = new RealtimeConnection([server], apiKey, [$"worker:{workerId}"], (socket, nonce, cancel) =>
            socket.RequestAsync("hello", new
            {
                workerId,
                nonce,
                signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(agent._key, WorkerProof.HelloMessage(workerId, nonce))),
            }, cancel));
        agent._connection.Start();
        agent._loop = Task.Run(agent.AnswerOffersAsync);
        return agent;
    }

    private async Task AnswerOffersAsync()
    {
        try
        {
            await foreach (var frame in _connection!.Direct.ReadAllAsync(_stop.Token))
            {
                var offer = frame.GetProperty("event");
                if (offer.GetProperty("kind").GetString() == "task.offered" && !offer.GetProperty("accepted").GetBoolean())
                {
                    await AnswerAsync(offer);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task AnswerAsync(System.Text.Json.JsonElement offer)
    {
        var taskId = offer.GetProperty("taskId").GetString()!;
        var lease = offer.GetProperty("lease").GetInt64();
        await _connection!.RequestAsync("accept", new { taskId, lease }, _stop.Token);
        var input = await _http.DownloadForTaskAsync("blobs", offer.GetProperty("inputId").GetString()!, taskId);
        var honest = Interlocked.Increment(ref _answered) <= _honestFirst;
        var output = honest ? [.. "echo:"u8, .. input] : Forged;
        if (!honest)
        {
            Cheated.Add(taskId);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(output));
        var nonce = WorkerProof.SolvePow(taskId, lease, hash, WorkerId, offer.GetProperty("powDifficulty").GetInt32());
        await _connection.RequestAsync("result", new
        {
            taskId,
            lease,
            output = Convert.ToBase64String(output),
            outputSha256 = hash,
            fuelUsed = 1,
            durationMs = 1,
            powNonce = nonce.ToString(CultureInfo.InvariantCulture),
            signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.ResultMessage(taskId, lease, hash, nonce))),
        }, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _http.Dispose();
        _key.Dispose();
        _stop.Dispose();
    }
}
