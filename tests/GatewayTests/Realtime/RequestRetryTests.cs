using System.Net.WebSockets;
using System.Text.Json;
using Gstd.Client;
using Gstd.Client.Realtime;
using Gstd.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gstd.GatewayTests.Realtime;

/// <summary>
/// A worker's message that the server failed to handle (the grain it is for was on a silo that just died) or turned
/// away for the socket's rate is sent again until the server takes it; a message the server refuses is not.
/// </summary>
public sealed class RequestRetryTests : IAsyncLifetime
{
    private readonly Uri _server = new($"http://127.0.0.1:{FreePorts.Next()}/");
    private readonly List<string> _received = [];
    private WebApplication _app = null!;
    private int _failuresLeft;
    private string _failure = "internal_error";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_server.ToString());
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/ws", ServeAsync);
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("internal_error")]
    [InlineData("rate_limited")]
    public async Task A_message_the_server_failed_on_or_rate_limited_is_sent_again_until_it_is_taken(string failure)
    {
        (_failuresLeft, _failure) = (3, failure);
        await using var connection = new RealtimeConnection([_server], "key", []);
        connection.Start();

        var reply = await connection.RequestAsync("accept", new { taskId = "tsk_1", lease = 1 }, CancellationToken.None);

        Assert.Equal("ack", reply.GetProperty("type").GetString());
        Assert.Equal(4, _received.Count(t => t == "accept"));
    }

    [Fact]
    public async Task A_message_the_server_refuses_is_not_sent_again()
    {
        await using var connection = new RealtimeConnection([_server], "key", []);
        connection.Start();

        var refused = await Assert.ThrowsAsync<GstdApiException>(() => connection.RequestAsync("refuse", null, CancellationToken.None));

        Assert.Equal("lease_expired", refused.Code);
        Assert.Single(_received, t => t == "refuse");
    }

    /// <summary>Fails the first few messages with <see cref="_failure"/>, refuses <c>refuse</c>, acknowledges the rest.</summary>
    private async Task ServeAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (socket.State == WebSocketState.Open)
        {
            var read = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            using var message = JsonDocument.Parse(buffer.AsMemory(0, read.Count));
            var type = message.RootElement.GetProperty("type").GetString()!;
            var id = message.RootElement.GetProperty("id").GetString();
            lock (_received)
            {
                _received.Add(type);
            }

            object reply = type == "refuse" ? new { type = "error", id, code = "lease_expired", message = "The lease expired." }
                : Interlocked.Decrement(ref _failuresLeft) >= 0 ? new { type = "error", id, code = _failure, message = "Not now; try again." }
                : new { type = "ack", id };
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(reply, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }
}
