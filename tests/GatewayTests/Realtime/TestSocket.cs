using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gstd.GatewayTests.Realtime;

/// <summary>A minimal protocol client: sends with ids and reads frames in order.</summary>
internal sealed class TestSocket(WebSocket socket) : IAsyncDisposable
{
    private int _id;

    public static async Task<TestSocket> ConnectAsync(GatewayFixture gateway, string apiKey)
    {
        var ws = gateway.Factory.Server.CreateWebSocketClient();
        ws.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + apiKey;
        return new TestSocket(await ws.ConnectAsync(new Uri(gateway.Factory.Server.BaseAddress, "ws"), default));
    }

    /// <summary>Connects without credentials beyond <paramref name="pathAndQuery"/>; answers the close status the server gives at once.</summary>
    public static async Task<WebSocketCloseStatus?> ClosedAtOnceAsync(GatewayFixture gateway, string pathAndQuery)
    {
        using var socket = await gateway.Factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(gateway.Factory.Server.BaseAddress, pathAndQuery), default);
        return await new TestSocket(socket).ClosedWithAsync();
    }

    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 20];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    /// <summary>Sends a message and answers the reply to it (skipping other frames), which must be of the expected type.</summary>
    public async Task<JsonElement> RequestAsync(string type, object? fields, string expected)
    {
        var id = await SendAsync(type, fields);
        while (true)
        {
            var frame = await ReceiveAsync();
            if (frame.TryGetProperty("id", out var replyId) && replyId.GetString() == id)
            {
                Assert.True(frame.GetProperty("type").GetString() == expected, frame.ToString());
                return frame;
            }
        }
    }

    /// <summary>The offer of one task; offers of other tests' tasks in the shared pool are skipped.</summary>
    public async Task<JsonElement> NextOfferAsync(string taskId)
    {
        while (true)
        {
            var frame = await ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event") is var e
                && e.GetProperty("kind").GetString() == "task.offered" && e.GetProperty("taskId").GetString() == taskId)
            {
                return e;
            }
        }
    }

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseDescription => socket.CloseStatusDescription;

    /// <summary>
    /// The server's answer to the message with <paramref name="id"/> (an ack, error or pong; null id for a message whose id
    /// could not be read), skipping other frames; null when the socket closes first.
    /// </summary>
    public async Task<JsonElement?> ReplyAsync(string? id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            message.SetLength(0);
            if (frame.GetProperty("type").GetString() is "ack" or "error" or "pong" or "subscribed"
                && (frame.TryGetProperty("id", out var replyId) ? replyId.GetString() : null) == id)
            {
                return frame;
            }
        }
    }

    /// <summary>Sends a message and answers whatever reply has its id (an ack, error, pong or subscribed).</summary>
    public async Task<JsonElement> RequestAnyAsync(string type, object? fields = null)
    {
        var id = await SendAsync(type, fields);
        return await ReplyAsync(id) ?? throw new InvalidOperationException($"The socket closed before answering {type}.");
    }

    /// <summary>The first frame, or null when the server closes the socket instead.</summary>
    public async Task<JsonElement?> ReplyOrCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 16];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    public Task SendRawAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, default);

    /// <summary>Reads until the server closes the socket and answers the close status it gave.</summary>
    public async Task<WebSocketCloseStatus?> ClosedWithAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[1 << 16];
        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        return socket.CloseStatus;
    }

    /// <summary>Sends a message and answers its id.</summary>
    public async Task<string> SendAsync(string type, object? fields)
    {
        var id = (++_id).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = JsonSerializer.SerializeToElement(fields ?? new { }, JsonSerializerOptions.Web).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value);
        message["type"] = type;
        message["id"] = id;
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, default);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", default);
        }

        socket.Dispose();
    }
}
