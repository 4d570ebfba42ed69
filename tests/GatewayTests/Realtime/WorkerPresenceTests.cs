using Gstd.GatewayTests.Tasks;

namespace Gstd.GatewayTests.Realtime;

/// <summary>An operator's screen follows its worker's topic and sees the worker come online and go away.</summary>
public sealed class WorkerPresenceTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_workers_topic_says_when_it_connects_and_when_it_leaves()
    {
        var agent = await SocketAgent.ConnectAsync(gateway);
        await using var operatorSocket = await TestSocket.ConnectAsync(gateway, agent.ApiKey);
        await operatorSocket.ReceiveAsync();
        string epoch;
        await using (var probe = await TestSocket.ConnectAsync(gateway, agent.ApiKey))
        {
            await probe.ReceiveAsync();
            epoch = (await probe.RequestAsync("subscribe", new { topic = $"worker:{agent.WorkerId}" }, "subscribed")).GetProperty("epoch").GetString()!;
        }

        // From the topic's first event: the worker is new, so everything it ever published.
        var subscribed = await operatorSocket.RequestAsync("subscribe", new { topic = $"worker:{agent.WorkerId}", since = new { epoch, offset = 0 } }, "subscribed");
        Assert.True(subscribed.GetProperty("recovered").GetBoolean());
        Assert.Equal(agent.WorkerId, (await NextAsync(operatorSocket, "worker.online")).GetProperty("workerId").GetString());

        await agent.DisposeAsync();
        Assert.Equal(agent.WorkerId, (await NextAsync(operatorSocket, "worker.offline")).GetProperty("workerId").GetString());
    }

    private static async Task<System.Text.Json.JsonElement> NextAsync(TestSocket socket, string kind)
    {
        while (true)
        {
            var frame = await socket.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event").GetProperty("kind").GetString() == kind)
            {
                return frame.GetProperty("event");
            }
        }
    }
}
