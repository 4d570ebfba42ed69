using System.Net;
using System.Net.WebSockets;
using Gstd.GatewayTests.Realtime;
using Gstd.Testing;

namespace Gstd.GatewayTests.Security;

/// <summary>A gateway whose socket limits a test can reach: two sockets an account, five messages a second, 20 requests a minute.</summary>
public sealed class TightSocketsGateway : GatewayFixture
{
    public const int Sockets = 2;
    public const int MessagesPerSecond = 5;
    public const int RequestsPerMinute = 20;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:SocketsPerAccount"] = Sockets.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gstd:SocketMessagesPerSecond"] = MessagesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gstd:RequestsPerMinute"] = RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>What one account or one socket may take of a silo's sockets.</summary>
public sealed class SocketLimitTests(TightSocketsGateway gateway) : IClassFixture<TightSocketsGateway>
{
    [Fact]
    public async Task An_account_may_open_only_so_many_sockets_on_a_silo_and_a_closed_one_frees_its_place()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var (_, otherKey) = await gateway.SignUpAsync("client");
        var open = new List<TestSocket>();
        for (var i = 0; i < TightSocketsGateway.Sockets; i++)
        {
            var socket = await TestSocket.ConnectAsync(gateway, key);
            Assert.Equal("challenge", (await socket.ReceiveAsync()).GetProperty("type").GetString());
            open.Add(socket);
        }

        await using (var refused = await TestSocket.ConnectAsync(gateway, key))
        {
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, await refused.ClosedWithAsync());
            Assert.Equal("too_many_sockets", refused.CloseDescription);
        }

        // Another account is not affected, and a socket that closes gives its place back.
        await using (var other = await TestSocket.ConnectAsync(gateway, otherKey))
        {
            await other.RequestAsync("ping", null, "pong");
        }

        await open[0].DisposeAsync();
        var again = await Eventually.Until(() => OpenAsync(key), s => s is not null, TimeSpan.FromSeconds(10), "the freed place to be taken");
        await using (again!)
        {
            await again!.RequestAsync("ping", null, "pong");
        }

        await open[1].DisposeAsync();
    }

    [Fact]
    public async Task A_socket_that_sends_faster_than_its_budget_gets_rate_limited_errors_and_stays_usable()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        const int Sent = 40;
        for (var i = 0; i < Sent; i++)
        {
            await socket.SendRawAsync($$"""{"type":"ping","id":"p{{i}}"}""");
        }

        var (pongs, limited) = (0, 0);
        while (pongs + limited < Sent)
        {
            var frame = await socket.ReceiveAsync();
            pongs += frame.GetProperty("type").GetString() == "pong" ? 1 : 0;
            limited += frame.GetProperty("type").GetString() == "error" && frame.GetProperty("code").GetString() == "rate_limited" ? 1 : 0;
        }

        // A burst of twice the rate passes, a little more as the budget refills; the rest is refused.
        Assert.InRange(pongs, 2 * TightSocketsGateway.MessagesPerSecond, Sent - 1);
        Assert.True(limited > 0);
        await Eventually.Until(() => PongAsync(socket), TimeSpan.FromSeconds(10), "the socket's budget to refill");
    }

    [Fact]
    public async Task Subscriptions_spend_the_same_budget_as_requests_so_neither_gets_around_the_other()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        var limited = 0;
        for (var i = 0; i < TightSocketsGateway.RequestsPerMinute + 2; i++)
        {
            // Slow enough for the socket's own message budget: only the account's request budget runs out.
            await Task.Delay(TimeSpan.FromMilliseconds(1000 / TightSocketsGateway.MessagesPerSecond));
            var reply = await socket.RequestAnyAsync("subscribe", new { topic = "account" });
            limited += reply.GetProperty("type").GetString() == "error" && reply.GetProperty("code").GetString() == "rate_limited" ? 1 : 0;
        }

        Assert.True(limited >= 2, $"{limited} subscriptions were refused");
        using var client = gateway.Client(key);
        await (await client.GetAsync("/api/accounts/me")).ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    /// <summary>A socket of the account, or null when the server refuses it.</summary>
    private async Task<TestSocket?> OpenAsync(string key)
    {
        var socket = await TestSocket.ConnectAsync(gateway, key);
        if (await socket.ReplyOrCloseAsync() is not null)
        {
            return socket;
        }

        await socket.DisposeAsync();
        return null;
    }

    /// <summary>Pings once: true for a pong, false when the ping was refused for the socket's rate.</summary>
    private static async Task<bool> PongAsync(TestSocket socket)
    {
        var id = await socket.SendAsync("ping", null);
        while (true)
        {
            var frame = await socket.ReceiveAsync();
            switch (frame.GetProperty("type").GetString())
            {
                case "pong" when frame.GetProperty("id").GetString() == id:
                    return true;
                case "error" when frame.GetProperty("code").GetString() == "rate_limited":
                    return false;
            }
        }
    }

    [Fact]
    public async Task A_socket_not_bound_to_a_worker_may_not_send_a_large_message()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        await socket.SendRawAsync("{\"type\":\"ping\",\"id\":\"" + new string('x', 65 * 1024) + "\"}");
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await socket.ClosedWithAsync());
    }
}
