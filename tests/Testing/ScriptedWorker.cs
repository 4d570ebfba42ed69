using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Protocol;
using NSec.Cryptography;

namespace Gstd.Testing;

/// <summary>
/// A worker built from the client library that runs no sandbox: it takes every offer, holds it for a while as a
/// running task would, and reports the output its <see cref="Answer"/> gives for the input. Every result is signed
/// with its registered key and carries a valid proof of work, so only running the task again tells a wrong
/// answer from a right one. Many of them share one process, each on its own WebSocket.
/// </summary>
public sealed class ScriptedWorker : IAsyncDisposable
{
    /// <summary>The output to report for a task's input, or null to report the attempt failed.</summary>
    public delegate byte[]? Answer(string taskId, byte[] input);

    /// <summary>Well inside the 5 s a lease may go without progress.</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly CancellationTokenSource _stop = new();
    private readonly GstdClient _http;
    private readonly Answer _answer;
    private readonly TimeSpan _hold;
    private readonly List<Task> _running = [];

    /// <summary>The leases taken: an offer is re-sent on every subscribe to the worker's topic (API.md), and taken once.</summary>
    private readonly HashSet<(string TaskId, long Lease)> _taken = [];
    private RealtimeConnection? _connection;
    private Task? _loop;

    private ScriptedWorker(GstdClient http, Answer answer, TimeSpan hold)
    {
        _http = http;
        _answer = answer;
        _hold = hold;
    }

    public string WorkerId { get; private set; } = "";

    /// <summary>The echo module's right answer.</summary>
    public static byte[] Echo(string taskId, byte[] input) => [.. "echo:"u8, .. input];

    public static async Task<ScriptedWorker> StartAsync(
        Uri server, string apiKey, string name, Answer answer, int capacity = 1, (double Lat, double Lon)? location = null, TimeSpan hold = default)
    {
        var worker = new ScriptedWorker(new GstdClient(server, apiKey), answer, hold);
        var registered = await worker._http.RegisterWorkerAsync(name, worker._key.PublicKey.Export(KeyBlobFormat.RawPublicKey), capacity, location?.Lat, location?.Lon);
        var workerId = worker.WorkerId = registered.GetProperty("id").GetString()!;
        worker._connection = new RealtimeConnection([server], apiKey, [$"worker:{workerId}"], (socket, nonce, cancel) =>
            socket.RequestAsync("hello", new
            {
                workerId,
                nonce,
                signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(worker._key, WorkerProof.HelloMessage(workerId, nonce))),
            }, cancel));
        worker._connection.Start();
        worker._loop = Task.Run(worker.TakeOffersAsync);
        return worker;
    }

    private async Task TakeOffersAsync()
    {
        try
        {
            await foreach (var frame in _connection!.Direct.ReadAllAsync(_stop.Token))
            {
                var offer = frame.GetProperty("event");
                if (offer.GetProperty("kind").GetString() == "task.offered" && !offer.GetProperty("accepted").GetBoolean()
                    && _taken.Add((offer.GetProperty("taskId").GetString()!, offer.GetProperty("lease").GetInt64())))
                {
                    // Offers beyond the first run side by side, as the worker's capacity allows.
                    _running.RemoveAll(t => t.IsCompleted);
                    _running.Add(Task.Run(() => RunAsync(offer)));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task RunAsync(JsonElement offer)
    {
        var taskId = offer.GetProperty("taskId").GetString()!;
        var lease = offer.GetProperty("lease").GetInt64();
        try
        {
            await _connection!.RequestAsync("accept", new { taskId, lease }, _stop.Token);
            var input = await _http.DownloadForTaskAsync("blobs", offer.GetProperty("inputId").GetString()!, taskId);
            await HoldAsync(taskId, lease);
            if (_answer(taskId, input) is not { } output)
            {
                await _connection.RequestAsync("fail", new { taskId, lease, error = new { code = "scripted_failure", message = "This attempt was scripted to fail." } }, _stop.Token);
                return;
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
                durationMs = (long)_hold.TotalMilliseconds,
                powNonce = nonce.ToString(CultureInfo.InvariantCulture),
                signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.ResultMessage(taskId, lease, hash, nonce))),
            }, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (GstdApiException)
        {
            // The lease ended meanwhile (revoked, or the task was cancelled): nothing to report.
        }
    }

    /// <summary>Runs for the hold time, reporting progress as often as a lease needs it.</summary>
    private async Task HoldAsync(string taskId, long lease)
    {
        for (var left = _hold; left > TimeSpan.Zero; left -= ProgressEvery)
        {
            await Task.Delay(left < ProgressEvery ? left : ProgressEvery, _stop.Token);
            if (left > ProgressEvery)
            {
                await _connection!.RequestAsync("progress", new { taskId, lease }, _stop.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        await Task.WhenAll(_running);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _http.Dispose();
        _key.Dispose();
        _stop.Dispose();
    }
}
