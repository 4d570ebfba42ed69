using System.Net;
using System.Text.Json;
using Gstd.GatewayTests.Realtime;
using Gstd.Testing;
using static Gstd.GatewayTests.Tasks.ClientSteps;

namespace Gstd.GatewayTests.Tasks;

/// <summary>The client's map places each task at its worker's cell from the list and the events alone.</summary>
public sealed class WorkerCellTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task List_items_and_task_events_carry_the_cell_of_the_worker_holding_the_task()
    {
        var (client, moduleId) = await ClientWithModuleAsync(gateway, "10");
        var key = client.DefaultRequestHeaders.Authorization!.Parameter!;
        await using var socket = await TestSocket.ConnectAsync(gateway, key);
        await socket.ReceiveAsync();
        await socket.RequestAsync("subscribe", new { topic = "account" }, "subscribed");

        string taskId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway, (48.86, 2.35)))
        {
            taskId = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = "aGk=", price = "0.5", reviewSeconds = 3_600 }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
            await agent.CompleteAsync(taskId, "echo:hi"u8.ToArray());
        }

        var cells = new Dictionary<string, JsonElement>();
        while (!cells.ContainsKey("task.completed"))
        {
            var frame = await socket.ReceiveAsync();
            if (frame.GetProperty("type").GetString() == "event" && frame.GetProperty("event").GetProperty("kind").GetString()!.StartsWith("task.", StringComparison.Ordinal))
            {
                cells[frame.GetProperty("event").GetProperty("kind").GetString()!] = frame.GetProperty("event").GetProperty("workerCell");
            }
        }

        Assert.Equal(JsonValueKind.Null, cells["task.queued"].ValueKind);
        Assert.Equal((49, 2), Cell(cells["task.completed"]));
        var item = Assert.Single((await (await client.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal((49, 2), Cell(item.GetProperty("workerCell")));

        await (await client.PostJsonAsync($"/api/tasks/{taskId}/accept", new { })).JsonAsync(HttpStatusCode.OK);
        item = Assert.Single((await (await client.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("workerCell").ValueKind);
    }

    private static (int, int) Cell(JsonElement cell) => (cell.GetProperty("lat").GetInt32(), cell.GetProperty("lon").GetInt32());
}
