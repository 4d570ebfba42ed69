using System.Net;
using System.Text;
using System.Text.Json;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Disputes;

/// <summary>A gateway where a client may have two disputes open at a time.</summary>
public sealed class DisputeGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:Limits:MaxOpenDisputes"] = "2",
    };
}

/// <summary>
/// Disputes over HTTP, with tasks completed by a worker on a real socket. One agent is connected at a time,
/// so each task goes to the agent its test expects.
/// </summary>
public sealed class DisputeHttpTests(DisputeGateway gateway) : IClassFixture<DisputeGateway>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_client_disputes_a_wrong_output_and_the_platform_refunds_it_while_the_worker_owner_sees_why()
    {
        var (client, moduleId) = await ClientWithModuleAsync("10");
        string taskId, workerKey;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerKey = agent.ApiKey;
            taskId = await SubmitAsync(client, moduleId);
            await agent.CompleteAsync(taskId, "<img src=x onerror=alert(1)>"u8.ToArray());
        }

        await Eventually.Until(async () => (await TaskAsync(client, taskId)).GetProperty("status").GetString(), s => s == "Completed", Patience, "the task to complete");
        var opened = await (await client.PostJsonAsync($"/api/tasks/{taskId}/disputes", new { reason = "wrong_output", details = "Not an echo." }))
            .JsonAsync(HttpStatusCode.Created);
        var disputeId = opened.GetProperty("id").GetString()!;
        Assert.Equal("wrong_output", opened.GetProperty("reason").GetString());
        Assert.Equal("Not an echo.", opened.GetProperty("details").GetString());
        Assert.Equal(Convert.ToBase64String("<img src=x onerror=alert(1)>"u8), opened.GetProperty("evidence").GetProperty("submitted").GetProperty("preview").GetString());

        await (await client.PostJsonAsync($"/api/tasks/{taskId}/disputes", new { reason = "other" })).ProblemAsync(HttpStatusCode.Conflict, "already_disputed");

        var dispute = await Eventually.Until(async () => await (await client.GetAsync($"/api/disputes/{disputeId}")).JsonAsync(HttpStatusCode.OK),
            d => d.GetProperty("status").GetString() == "Resolved", Patience, "the automatic review");
        Assert.Equal("refund", dispute.GetProperty("outcome").GetString());
        Assert.Equal(0, dispute.GetProperty("workerShare").GetDouble());
        Assert.True(dispute.GetProperty("decision").GetProperty("automatic").GetBoolean());
        var runs = dispute.GetProperty("evidence").GetProperty("reexecutions").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.False(r.GetProperty("matchesSubmitted").GetBoolean()));
        Assert.Equal("echo:hi", Encoding.UTF8.GetString(Convert.FromBase64String(runs[0].GetProperty("preview").GetString()!)));

        var task = await Eventually.Until(() => TaskAsync(client, taskId), t => t.GetProperty("status").GetString() == "Refunded", Patience, "the refund");
        Assert.Equal("Refunded", task.GetProperty("escrow").GetProperty("state").GetString());
        Assert.Equal(disputeId, task.GetProperty("disputeId").GetString());
        await ClientSteps.AssertBalanceAsync(client, "10", "0");

        using var owner = gateway.Client(workerKey);
        var ownerList = await (await owner.GetAsync("/api/disputes")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(disputeId, Assert.Single(ownerList.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("refund", (await (await owner.GetAsync($"/api/disputes/{disputeId}")).JsonAsync(HttpStatusCode.OK)).GetProperty("outcome").GetString());
        var (_, strangerKey) = await gateway.SignUpAsync("client");
        using var stranger = gateway.Client(strangerKey);
        await (await stranger.GetAsync($"/api/disputes/{disputeId}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await stranger.GetAsync("/api/disputes")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_admin_finds_an_other_claim_in_the_queue_and_splits_it_once_after_refusing_bad_decisions()
    {
        var (client, moduleId) = await ClientWithModuleAsync("10");
        var (disputeId, taskId, workerKey) = await DisputedAsync(client, moduleId, "other");
        using var admin = gateway.Client(gateway.AdminKey);

        var queue = await (await admin.GetAsync("/api/admin/disputes?status=AwaitingArbitration")).JsonAsync(HttpStatusCode.OK);
        var entry = queue.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("id").GetString() == disputeId);
        Assert.Equal((taskId, "other", "0.525"), (entry.GetProperty("taskId").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("escrow").GetString()));
        Assert.True(entry.GetProperty("arbitrateBy").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(71));
        await (await client.PostJsonAsync($"/api/tasks/{taskId}/accept", new { })).ProblemAsync(HttpStatusCode.Conflict, "escrow_frozen");

        var decision = $"/api/admin/disputes/{disputeId}/decision";
        foreach (var (body, field) in new (object, string)[]
        {
            (new { outcome = "split", note = "n" }, "workerShare"),
            (new { outcome = "split", workerShare = 0.12345, note = "n" }, "workerShare"),
            (new { outcome = "split", workerShare = 1.5, note = "n" }, "workerShare"),
            (new { outcome = "split", workerShare = 1e25, note = "n" }, "workerShare"),
            (new { outcome = "split", workerShare = "0.5", note = "n" }, "workerShare"),
            (new { outcome = "refund", workerShare = 0.5, note = "n" }, "workerShare"),
            (new { outcome = "maybe", note = "n" }, "outcome"),
            (new { outcome = "split", workerShare = 0.5 }, "note"),
        })
        {
            var problem = await (await admin.PostJsonAsync(decision, body)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)} should be refused for {field}: {problem}");
        }

        await (await client.PostJsonAsync(decision, new { outcome = "refund", note = "I decide" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await admin.PostJsonAsync("/api/admin/disputes/dsp_nothing/decision", new { outcome = "refund", note = "n" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await ClientSteps.AssertBalanceAsync(client, "9.475", "0.525");

        var decided = await (await admin.PostJsonAsync(decision, new { outcome = "split", workerShare = 0.25, note = "Partly right." })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Resolved", "split", 0.25), (decided.GetProperty("status").GetString(), decided.GetProperty("outcome").GetString(), decided.GetProperty("workerShare").GetDouble()));
        Assert.Equal("Partly right.", decided.GetProperty("decision").GetProperty("note").GetString());
        Assert.False(decided.GetProperty("decision").GetProperty("automatic").GetBoolean());
        await (await admin.PostJsonAsync(decision, new { outcome = "refund", note = "again" })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");

        // 0.25 of the price to the worker, 0.25 of the fee to the platform, the rest back: 0.525 - 0.125 - 0.00625.
        await Eventually.Until(() => TaskAsync(client, taskId), t => t.GetProperty("status").GetString() == "Settled", Patience, "the split");
        await ClientSteps.AssertBalanceAsync(client, "9.86875", "0");
        using var owner = gateway.Client(workerKey);
        var ownerSees = await (await owner.GetAsync($"/api/disputes/{disputeId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Partly right.", ownerSees.GetProperty("decision").GetProperty("note").GetString());
        Assert.Equal("0.125", (await (await owner.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK)).GetProperty("balance").GetProperty("available").GetString());
    }

    [Fact]
    public async Task Bad_dispute_requests_are_refused_clearly_and_change_nothing_and_an_account_has_at_most_two_open()
    {
        var (client, moduleId) = await ClientWithModuleAsync("10");
        string running;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            running = await SubmitAsync(client, moduleId);
        }

        var bad = await (await client.PostJsonAsync($"/api/tasks/{running}/disputes", new { reason = "bad_vibes" })).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("reason", out _));
        await (await client.PostJsonAsync($"/api/tasks/{running}/disputes", new { reason = "other", details = new string('x', 4_001) })).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await client.PostRawAsync($"/api/tasks/{running}/disputes", "[1]")).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await client.PostJsonAsync("/api/tasks/tsk_nothing/disputes", new { reason = "other" })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await client.PostJsonAsync($"/api/tasks/{running}/disputes", new { reason = "other" })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");
        await (await client.GetAsync("/api/disputes?status=Closed")).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await ClientSteps.CancelAsync(client, running);

        await DisputedAsync(client, moduleId, "other");
        await DisputedAsync(client, moduleId, "other");
        string third;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            third = await SubmitAsync(client, moduleId);
            await agent.CompleteAsync(third, "x"u8.ToArray());
        }

        await Eventually.Until(async () => (await TaskAsync(client, third)).GetProperty("status").GetString(), s => s == "Completed", Patience, "the third task to complete");
        await (await client.PostJsonAsync($"/api/tasks/{third}/disputes", new { reason = "other" })).ProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal("Completed", (await TaskAsync(client, third)).GetProperty("status").GetString());
        Assert.Equal(2, (await (await client.GetAsync("/api/disputes")).JsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Where_the_worker_was_is_in_the_evidence_only_for_its_owner_and_admins()
    {
        var (client, moduleId) = await ClientWithModuleAsync("10");
        var (disputeId, _, workerKey) = await DisputedAsync(client, moduleId, "other", location: (48.8, 2.3));
        using var owner = gateway.Client(workerKey);
        using var admin = gateway.Client(gateway.AdminKey);

        JsonElement CellOf(JsonElement dispute) => dispute.GetProperty("evidence").GetProperty("attempts")[0].GetProperty("workerCell");
        var seenByClient = await (await client.GetAsync($"/api/disputes/{disputeId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, CellOf(seenByClient).ValueKind);
        foreach (var viewer in new[] { owner, admin })
        {
            var cell = CellOf(await (await viewer.GetAsync($"/api/disputes/{disputeId}")).JsonAsync(HttpStatusCode.OK));
            Assert.Equal((49, 2), (cell.GetProperty("lat").GetInt32(), cell.GetProperty("lon").GetInt32()));
        }
    }

    /// <summary>A task of the client's, completed by a fresh agent and disputed: (dispute id, task id, the worker owner's key).</summary>
    private async Task<(string DisputeId, string TaskId, string WorkerKey)> DisputedAsync(
        HttpClient client, string moduleId, string reason, (double Lat, double Lon)? location = null)
    {
        string taskId, workerKey;
        await using (var agent = await SocketAgent.ConnectAsync(gateway, location))
        {
            workerKey = agent.ApiKey;
            taskId = await SubmitAsync(client, moduleId);
            await agent.CompleteAsync(taskId, "whatever"u8.ToArray());
        }

        await Eventually.Until(async () => (await TaskAsync(client, taskId)).GetProperty("status").GetString(), s => s == "Completed", Patience, "the task to complete");
        var opened = await (await client.PostJsonAsync($"/api/tasks/{taskId}/disputes", new { reason })).JsonAsync(HttpStatusCode.Created);
        return (opened.GetProperty("id").GetString()!, taskId, workerKey);
    }

    private Task<(HttpClient Client, string ModuleId)> ClientWithModuleAsync(string deposit) => ClientSteps.ClientWithModuleAsync(gateway, deposit);

    private static async Task<string> SubmitAsync(HttpClient client, string moduleId) =>
        (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Convert.ToBase64String("hi"u8), price = "0.5", reviewSeconds = 3_600 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task<JsonElement> TaskAsync(HttpClient client, string taskId) =>
        await (await client.GetAsync($"/api/tasks/{taskId}")).JsonAsync(HttpStatusCode.OK);
}
