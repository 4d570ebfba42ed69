using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Gstd.GatewayTests.Realtime;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Accounts;

/// <summary>A key revoked or an account disabled stops everything opened with it, sockets included, at once.</summary>
public sealed class RevocationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Revoking_a_key_closes_its_open_sockets_within_a_second_and_leaves_the_others()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var owner = gateway.Client(key);
        var second = await (await owner.PostJsonAsync("/api/accounts/me/keys", new { scope = "full" })).JsonAsync(HttpStatusCode.Created);
        await using var doomed = await TestSocket.ConnectAsync(gateway, second.GetProperty("apiKey").GetString()!);
        await using var kept = await TestSocket.ConnectAsync(gateway, key);
        await doomed.RequestAsync("subscribe", new { topic = "account" }, "subscribed");
        await kept.RequestAsync("subscribe", new { topic = "account" }, "subscribed");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync(new Uri($"/api/accounts/me/keys/{second.GetProperty("keyId").GetString()}", UriKind.Relative))).StatusCode);
        var watch = Stopwatch.StartNew();
        Assert.Equal((WebSocketCloseStatus)4401, await doomed.ClosedWithAsync());
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        await kept.RequestAsync("ping", null, "pong");
    }

    [Fact]
    public async Task A_disabled_account_loses_its_keys_sockets_and_workers_and_its_tasks_go_to_others_while_its_money_stays()
    {
        var (client, moduleId) = await ClientSteps.ClientWithModuleAsync(gateway, "10");
        var (workerId, workerKey, signing, workerAccount) = await TestWorkers.RegisterAsync(gateway, capacity: 1);
        using var operatorClient = gateway.Client(workerKey);
        await using var agent = await TestSocket.ConnectAsync(gateway, workerKey);
        await TestWorkers.HelloAsync(agent, workerId, signing);
        var taskId = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = "aGk=", price = "1" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var lease = (await agent.NextOfferAsync(taskId)).GetProperty("lease").GetInt64();
        await agent.RequestAsync("accept", new { taskId, lease }, "ack");

        using var admin = gateway.Client(gateway.AdminKey);
        var disabled = await (await admin.PostJsonAsync($"/api/admin/accounts/{workerAccount}/disable", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(workerAccount, disabled.GetProperty("id").GetString());

        Assert.NotNull(await agent.ClosedWithAsync());
        await (await operatorClient.GetAsync("/api/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        // The lease went back at once: the task waits for another worker, its escrow still held.
        var task = await Eventually.Until(async () => await (await client.GetAsync($"/api/tasks/{taskId}")).JsonAsync(HttpStatusCode.OK),
            t => t.GetProperty("status").GetString() == "Queued", TimeSpan.FromSeconds(10), "the task to be queued again");
        Assert.Equal("worker_disconnected", task.GetProperty("attempts")[0].GetProperty("error").GetProperty("code").GetString());
        await ClientSteps.AssertBalanceAsync(client, "8.95", "1.05");
        var worker = await (await admin.GetAsync($"/api/workers/{workerId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Suspended", false), (worker.GetProperty("status").GetString(), worker.GetProperty("online").GetBoolean()));
        var entries = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, entries.GetProperty("journalSum").GetInt64());

        // Doing it again changes nothing; the admin account and unknown accounts cannot be disabled.
        var again = await (await admin.PostJsonAsync($"/api/admin/accounts/{workerAccount}/disable", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(disabled.GetProperty("disabledAt").GetString(), again.GetProperty("disabledAt").GetString());
        await (await admin.PostJsonAsync("/api/admin/accounts/admin/disable", new { })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");
        await (await admin.PostJsonAsync("/api/admin/accounts/acc_nobody/disable", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await client.PostJsonAsync($"/api/admin/accounts/{workerAccount}/disable", new { })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await ClientSteps.CancelAsync(client, taskId);
    }
}
