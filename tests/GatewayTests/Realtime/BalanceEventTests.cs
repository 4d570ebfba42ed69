using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Realtime;

/// <summary>A client's balances stay live on its account topic: deposits, holds, and payouts that return nothing to it.</summary>
public sealed class BalanceEventTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Every_movement_of_the_clients_money_is_a_balance_changed_event_with_the_new_balances()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        await socket.ReceiveAsync();
        await socket.RequestAsync("subscribe", new { topic = "account" }, "subscribed");

        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "10" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(("10", "0", "10", "deposit"), Balances(await NextBalanceAsync(socket)));

        var module = new ByteArrayContent(TestModules.Wasm("echo"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var moduleId = (await (await client.PostAsync(new Uri("/api/modules", UriKind.Relative), module)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        string taskId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            taskId = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = "aGk=", price = "0.5", reviewSeconds = 3_600 }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
            await agent.CompleteAsync(taskId, "echo:hi"u8.ToArray());
        }

        Assert.Equal(("9.475", "0.525", "-0.525", "hold"), Balances(await NextBalanceAsync(socket)));
        await Eventually.Until(async () => (await (await client.GetAsync($"/api/tasks/{taskId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString(),
            s => s == "Completed", TimeSpan.FromSeconds(30), "the task to complete");
        await (await client.PostJsonAsync($"/api/tasks/{taskId}/accept", new { })).JsonAsync(HttpStatusCode.OK);

        // All of the escrow goes to the worker and the fee: nothing comes back, yet the escrow card must empty.
        var released = await NextBalanceAsync(socket);
        Assert.Equal(("9.475", "0", "0", "release"), Balances(released));
        Assert.Equal(taskId, released.GetProperty("taskId").GetString());
    }

    private static (string?, string?, string?, string?) Balances(JsonElement e) =>
        (e.GetProperty("available").GetString(), e.GetProperty("escrow").GetString(), e.GetProperty("delta").GetString(), e.GetProperty("reason").GetString());

    private static async Task<JsonElement> NextBalanceAsync(TestSocket socket)
    {
        while (true)
        {
            var frame = await socket.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event").GetProperty("kind").GetString() == "balance.changed")
            {
                return frame.GetProperty("event");
            }
        }
    }
}
