using System.Net;
using System.Net.WebSockets;

namespace Gstd.GatewayTests.Realtime;

/// <summary>Browser tickets for <c>GET /ws</c>: single use and short-lived.</summary>
public sealed class TicketTests(ShiftedTimeGatewayFixture gateway) : IClassFixture<ShiftedTimeGatewayFixture>
{
    [Fact]
    public async Task A_ticket_opens_one_socket_within_30_seconds_and_neither_a_reused_nor_an_expired_one_opens_another()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        async Task<string> TicketAsync() =>
            (await (await client.PostJsonAsync("/api/realtime/tickets", new { })).JsonAsync(HttpStatusCode.Created)).GetProperty("ticket").GetString()!;
        var ws = gateway.Factory.Server.CreateWebSocketClient();
        Task<WebSocket> ConnectAsync(string ticket) => ws.ConnectAsync(new Uri(gateway.Factory.Server.BaseAddress, $"ws?ticket={ticket}"), default);

        var used = await TicketAsync();
        await using (var socket = new TestSocket(await ConnectAsync(used)))
        {
            Assert.Equal("challenge", (await socket.ReceiveAsync()).GetProperty("type").GetString());
            await socket.RequestAsync("subscribe", new { topic = "account" }, "subscribed");
        }

        // Refused with a close code a browser can read: 4401, get a new ticket.
        Assert.Equal((WebSocketCloseStatus)4401, await TestSocket.ClosedAtOnceAsync(gateway, $"ws?ticket={used}"));

        var late = await TicketAsync();
        gateway.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal((WebSocketCloseStatus)4401, await TestSocket.ClosedAtOnceAsync(gateway, $"ws?ticket={late}"));

        // The account itself is unaffected: a fresh ticket still works.
        await using var fresh = new TestSocket(await ConnectAsync(await TicketAsync()));
        Assert.Equal("challenge", (await fresh.ReceiveAsync()).GetProperty("type").GetString());
    }
}
