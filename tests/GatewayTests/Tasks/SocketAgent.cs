using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Net.WebSockets;
using System.Text.Json;
using Gstd.GatewayTests.Realtime;
using Gstd.Protocol;
using NSec.Cryptography;

namespace Gstd.GatewayTests.Tasks;

/// <summary>
/// An approved worker on a real socket that does what the test says with each offer: declines it, fails it
/// (how tasks reach the dead-letter queue) or completes it with a signed result of the test's choosing (how a
/// cheating worker is played). Disposing it closes the socket cleanly; the gateway takes the worker out of
/// the pool before it answers the close, so no later task is offered to it.
/// </summary>
public sealed class SocketAgent : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly WebSocket _socket;
    private readonly Key _key;

    /// <summary>Frames read while waiting for something else (an offer can arrive before the ack that caused it).</summary>
    private readonly List<JsonElement> _unread = [];

    /// <summary>The last lease answered per task: offers are re-sent (on accept, on rebind) and must not be answered twice.</summary>
    private readonly Dictionary<string, long> _answered = new(StringComparer.Ordinal);
    private int _id;

    private SocketAgent(string workerId, string apiKey, WebSocket socket, Key key)
    {
        WorkerId = workerId;
        ApiKey = apiKey;
        _socket = socket;
        _key = key;
    }

    public string WorkerId { get; }

    /// <summary>The key of the worker's owner account.</summary>
    public string ApiKey { get; }

    /// <summary>Signs up a worker account, has the admin approve it, registers a worker and binds a socket to it.</summary>
    public static async Task<SocketAgent> ConnectAsync(GatewayFixture gateway, (double Lat, double Lon)? location = null)
    {
        var (workerId, apiKey, key, _) = await TestWorkers.RegisterAsync(gateway, capacity: 4, location is { } at ? new { lat = at.Lat, lon = at.Lon } : null);
        var client = gateway.Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + apiKey;
        var agent = new SocketAgent(workerId, apiKey, await client.ConnectAsync(new Uri(gateway.Factory.Server.BaseAddress, "ws"), default), key);
        var nonce = (await agent.ReceiveAsync()).GetProperty("nonce").GetString()!;
        await agent.RequestAsync("hello", new { workerId, nonce, signature = TestWorkers.Sign(key, WorkerProof.HelloMessage(workerId, nonce)) });
        return agent;
    }

    /// <summary>Waits for the task's next offer, accepts it and reports the attempt failed with <paramref name="code"/>.</summary>
    public async Task FailAsync(string taskId, string code = "trap", string? message = null)
    {
        var lease = await NextOfferAsync(taskId);
        await RequestAsync("accept", new { taskId, lease });
        await RequestAsync("fail", new { taskId, lease, error = new { code, message = message ?? "the module failed: " + code } });
    }

    /// <summary>Waits for the task's next offer, accepts it and returns <paramref name="output"/> signed, with its proof of work.</summary>
    public async Task CompleteAsync(string taskId, byte[] output)
    {
        var lease = await NextOfferAsync(taskId);
        await RequestAsync("accept", new { taskId, lease });
        var hash = Convert.ToHexStringLower(SHA256.HashData(output));
        var nonce = WorkerProof.SolvePow(taskId, lease, hash, WorkerId, WorkerProof.MaxDifficulty);
        await RequestAsync("result", new
        {
            taskId,
            lease,
            output = Convert.ToBase64String(output),
            outputSha256 = hash,
            fuelUsed = 1000,
            durationMs = 1,
            powNonce = nonce.ToString(CultureInfo.InvariantCulture),
            signature = Convert.ToBase64String(SignatureAlgorithm.Ed25519.Sign(_key, WorkerProof.ResultMessage(taskId, lease, hash, nonce))),
        });
    }

    /// <summary>Waits for the task's next offer and declines it (the task loses its worker and is offered again).</summary>
    public async Task DeclineAsync(string taskId, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            var lease = await NextOfferAsync(taskId);
            await RequestAsync("decline", new { taskId, lease });
        }
    }

    private async Task<long> NextOfferAsync(string taskId)
    {
        using var deadline = new CancellationTokenSource(Patience);
        var answered = _answered.GetValueOrDefault(taskId);
        bool IsNew(JsonElement frame) =>
            frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event") is var e
            && e.GetProperty("kind").GetString() == "task.offered" && e.GetProperty("taskId").GetString() == taskId
            && !e.GetProperty("accepted").GetBoolean() && e.GetProperty("lease").GetInt64() > answered;

        var offer = _unread.FirstOrDefault(IsNew);
        if (offer.ValueKind == JsonValueKind.Undefined)
        {
            while (!IsNew(offer = await ReceiveAsync(deadline.Token)))
            {
                _unread.Add(offer);
            }
        }

        _unread.RemoveAll(IsNew);
        var lease = offer.GetProperty("event").GetProperty("lease").GetInt64();
        _answered[taskId] = lease;
        return lease;
    }

    /// <summary>Sends a message and waits for its ack, keeping the frames that come first.</summary>
    private async Task RequestAsync(string type, object fields)
    {
        var id = (++_id).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = JsonSerializer.SerializeToElement(fields, JsonSerializerOptions.Web).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value);
        message["type"] = type;
        message["id"] = id;
        await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, default);

        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var frame = await ReceiveAsync(deadline.Token);
            if (frame.TryGetProperty("id", out var replyId) && replyId.GetString() == id)
            {
                Assert.True(frame.GetProperty("type").GetString() == "ack", $"{type} was answered with {frame}");
                return;
            }

            _unread.Add(frame);
        }
    }

    private async Task<JsonElement> ReceiveAsync(CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Patience);
        var buffer = new byte[1 << 20];
        var result = await _socket.ReceiveAsync(buffer, timeout.Token);
        Assert.True(result.MessageType == WebSocketMessageType.Text, $"The gateway closed the socket: {result.CloseStatus} {result.CloseStatusDescription}");
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", default);
        }

        _socket.Dispose();
        _key.Dispose();
    }
}
