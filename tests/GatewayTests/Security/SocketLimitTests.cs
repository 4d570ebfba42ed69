using System.Net;
using System.Net.WebSockets;
using Gstd.GatewayTests.Realtime;
using Gstd.Testing;

namespace Gstd.GatewayTests.Security;

/// <summary>
/// A gateway whose socket limits a test can reach: two sockets an account, five messages a second (50 for a worker's
/// socket), 20 requests a minute.
/// </summary>
public sealed class TightSocketsGateway : GatewayFixture
{
    public const int Sockets = 2;
    public const int MessagesPerSecond = 5;
    public const int WorkerMessagesPerSecond = 50;
    public const int RequestsPerMinute = 20;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:SocketsPerAccount"] = Sockets.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gstd:SocketMessagesPerSecond"] = MessagesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gstd:WorkerSocketMessagesPerSecond"] = WorkerMessagesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
    public async Task A_socket_that_sends_faster_than_its_budget_gets_rate_limited_errors_for_those_messages_and_stays_usable()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        var (pongs, limited) = await PingBurstAsync(socket, 40);

        // A burst of twice the rate passes, a little more as the budget refills; the rest is refused, each refusal
        // naming its message, so a client waiting for an answer gets one and knows what to send again.
        Assert.InRange(pongs.Count, 2 * TightSocketsGateway.MessagesPerSecond, 39);
        Assert.NotEmpty(limited);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"p{i}").Order(), pongs.Concat(limited).Order());
        await Eventually.Until(() => PongAsync(socket), TimeSpan.FromSeconds(10), "the socket's budget to refill");
    }

    [Fact]
    public async Task A_socket_bound_to_a_worker_has_an_agents_budget_which_sends_a_message_or_two_for_every_task()
    {
        var (workerId, apiKey, workerKey, _) = await TestWorkers.RegisterAsync(gateway);
        await using var socket = await TestSocket.ConnectAsync(gateway, apiKey);
        await TestWorkers.HelloAsync(socket, workerId, workerKey);

        // Eight times what an unbound socket may burst; within the worker's.
        var (pongs, limited) = await PingBurstAsync(socket, 80);
        Assert.Empty(limited);
        Assert.Equal(80, pongs.Count);
    }

    /// <summary>Sends that many pings at once and reads their answers: the ids answered with a pong, and those refused for the rate.</summary>
    private static async Task<(List<string> Pongs, List<string> Limited)> PingBurstAsync(TestSocket socket, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await socket.SendRawAsync($$"""{"type":"ping","id":"p{{i}}"}""");
        }

        var (pongs, limited) = (new List<string>(), new List<string>());
        while (pongs.Count + limited.Count < count)
        {
            var frame = await socket.ReceiveAsync();
            switch (frame.GetProperty("type").GetString())
            {
                case "pong":
                    pongs.Add(frame.GetProperty("id").GetString()!);
                    break;
                case "error" when frame.GetProperty("code").GetString() == "rate_limited":
                    limited.Add(frame.GetProperty("id").GetString()!);
                    break;
            }
        }

        return (pongs, limited);
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
