using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Protocol;
using Gstd.Sandbox.Running;
using NSec.Cryptography;

namespace Gstd.Worker;

/// <summary>
/// One logical worker: registers its key, keeps a resilient realtime connection (reconnecting with backoff and
/// jitter, to the next server of the list each time, binding each new socket with a signed <c>hello</c>), and
/// runs the tasks offered to it in the sandbox, reporting progress and returning signed results with proof of
/// work — a result finished while disconnected goes out on the next connection, while its lease is valid.
/// </summary>
public sealed class WorkerAgent(AgentOptions options, int index, SandboxRunner runner, ModuleCache modules)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(4);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly string _name = options.Agents == 1 ? options.Name : $"{options.Name}-{index + 1}";

    // The logical workers of one process start on different servers, so they spread over the cluster.
    private int _server = index % options.Servers.Count;

    public async Task RunAsync(CancellationToken ct)
    {
        using var key = KeyFile.LoadOrCreate(Path.Combine(options.KeyDirectory, _name + ".key"));
        var clients = options.Servers.Select(server => new GstdClient(server, options.ApiKey)).ToList();
        try
        {
            await RunAsync(clients, key, ct);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private async Task RunAsync(IReadOnlyList<GstdClient> clients, Key key, CancellationToken ct)
    {
        var workerId = await RegisterAsync(clients, key, ct);
        Log($"registered as {workerId}");
        var first = Volatile.Read(ref _server);
        var servers = options.Servers.Skip(first).Concat(options.Servers.Take(first)).ToList();
        var connection = new RealtimeConnection(servers, options.ApiKey, [$"worker:{workerId}"], (socket, nonce, cancel) =>
        {
            var signature = SignatureAlgorithm.Ed25519.Sign(key, WorkerProof.HelloMessage(workerId, nonce));
            return socket.RequestAsync("hello", new { workerId, nonce, signature = Convert.ToBase64String(signature) }, cancel);
        });
        connection.StateChanged += state => Log($"connection {state.ToString().ToLowerInvariant()}");
        connection.Start();
        try
        {
            await foreach (var frame in connection.Direct.ReadAllAsync(ct))
            {
                var @event = frame.GetProperty("event");
                var taskId = @event.GetProperty("taskId").GetString()!;
                var lease = @event.GetProperty("lease").GetInt64();
                var slot = $"{taskId}:{lease}";
                switch (@event.GetProperty("kind").GetString())
                {
                    case "task.offered" when !_running.ContainsKey(slot):
                        var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        _running[slot] = cancel;
                        _ = Task.Run(() => ExecuteAsync(clients, connection, key, workerId, @event.Clone(), slot, cancel.Token), CancellationToken.None);
                        break;
                    case "task.revoked" when _running.TryRemove(slot, out var running):
                        await running.CancelAsync();
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            // Stopping on purpose: the connection closes cleanly, which hands our leases back at once.
            await connection.DisposeAsync();
        }
    }

    private GstdClient Current(IReadOnlyList<GstdClient> clients) => clients[Volatile.Read(ref _server)];

    private void NextServer() => Volatile.Write(ref _server, (Volatile.Read(ref _server) + 1) % options.Servers.Count);

    private async Task<string> RegisterAsync(IReadOnlyList<GstdClient> clients, Key key, CancellationToken ct)
    {
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30)))
        {
            var http = Current(clients);
            try
            {
                var worker = await http.RegisterWorkerAsync(_name, publicKey, options.Capacity, options.Lat, options.Lon);
                var id = worker.GetProperty("id").GetString()!;
                if (worker.GetProperty("capacity").GetInt32() != options.Capacity)
                {
                    // A worker registered before with another --capacity: the command line wins.
                    await http.SetWorkerCapacityAsync(id, options.Capacity);
                }

                return id;
            }
            catch (HttpRequestException e)
            {
                Log($"cannot reach {http.Server}: {e.Message}; retrying");
                NextServer();
                await Task.Delay(delay, ct);
            }
        }
    }

    private async Task ExecuteAsync(IReadOnlyList<GstdClient> clients, RealtimeConnection connection, Key key, string workerId, JsonElement offer, string slot, CancellationToken ct)
    {
        var taskId = offer.GetProperty("taskId").GetString()!;
        var lease = offer.GetProperty("lease").GetInt64();
        try
        {
            if (!offer.GetProperty("accepted").GetBoolean())
            {
                await connection.RequestAsync("accept", new { taskId, lease }, ct);
            }

            var moduleId = offer.GetProperty("moduleId").GetString()!;
            if (!modules.TryGet(moduleId, out var module))
            {
                module = await DownloadAsync(clients, "modules", moduleId, taskId);
                if ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(module)) != moduleId)
                {
                    await connection.RequestAsync("fail", new { taskId, lease, error = new { code = "module_mismatch", message = "The module's bytes do not match its id." } }, ct);
                    return;
                }

                modules.Add(moduleId, module);
            }

            // A small input comes with the offer; a larger one (or one the server no longer holds in memory) is fetched.
            var input = offer.TryGetProperty("input", out var inline) && inline.ValueKind == JsonValueKind.String
                ? inline.GetBytesFromBase64()
                : await DownloadAsync(clients, "blobs", offer.GetProperty("inputId").GetString()!, taskId);

            var limits = offer.GetProperty("limits");
            var request = new RunRequest(moduleId, module, input, Encoding.UTF8.GetBytes(offer.GetProperty("seed").GetString()!), new SandboxLimits(
                limits.GetProperty("maxFuel").GetInt64(),
                limits.GetProperty("memoryLimitMb").GetInt64() * 1024 * 1024,
                TimeSpan.FromSeconds(limits.GetProperty("timeoutSeconds").GetInt32()),
                1024 * 1024));
            var run = runner.RunAsync(request, ct);
            while (await Task.WhenAny(run, Task.Delay(ProgressEvery, ct)) != run)
            {
                await connection.RequestAsync("progress", new { taskId, lease }, ct);
            }

            var result = await run;
            if (!result.Succeeded)
            {
                Log($"{taskId} failed: {result.Outcome} {result.Detail}");
                await connection.RequestAsync("fail", new { taskId, lease, error = new { code = Snake(result.Outcome), message = result.Detail ?? result.Outcome.ToString() } }, ct);
                return;
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(result.Output));
            var difficulty = offer.GetProperty("powDifficulty").GetInt32();
            var nonce = WorkerProof.SolvePow(taskId, lease, hash, workerId, difficulty);
            var signature = SignatureAlgorithm.Ed25519.Sign(key, WorkerProof.ResultMessage(taskId, lease, hash, nonce));
            await connection.RequestAsync("result", new
            {
                taskId,
                lease,
                output = Convert.ToBase64String(result.Output),
                outputSha256 = hash,
                fuelUsed = result.FuelUsed,
                durationMs = (long)result.Duration.TotalMilliseconds,
                powNonce = nonce.ToString(CultureInfo.InvariantCulture),
                signature = Convert.ToBase64String(signature),
            }, ct);
            Log($"{taskId} done in {result.Duration.TotalMilliseconds:0.#} ms");
        }
        catch (GstdApiException e)
        {
            // The server no longer wants this lease (expired, revoked, cancelled): drop the work.
            Log($"{taskId}: {e.Code} {e.Message}");
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or WebSocketException or TimeoutException)
        {
            Log($"{taskId}: gave up ({e.GetType().Name})");
        }
        finally
        {
            if (_running.TryRemove(slot, out var cancel))
            {
                cancel.Dispose();
            }
        }
    }

    /// <summary>Downloads from the current server, then from each other one in turn if a server is unreachable.</summary>
    private async Task<byte[]> DownloadAsync(IReadOnlyList<GstdClient> clients, string kind, string contentId, string taskId)
    {
        var first = Volatile.Read(ref _server);
        for (var i = 0; ; i++)
        {
            try
            {
                return await clients[(first + i) % clients.Count].DownloadForTaskAsync(kind, contentId, taskId);
            }
            catch (Exception e) when (i + 1 < clients.Count
                && e is HttpRequestException or TaskCanceledException or GstdApiException { Status: >= System.Net.HttpStatusCode.InternalServerError })
            {
                // That silo is down or cannot reach the content's grain: the next one may.
            }
        }
    }

    private static string Snake(RunOutcome outcome) =>
        string.Concat(outcome.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private void Log(string message) =>
        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} [{_name}] {message}");
}
