using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Gstd.Testing;

namespace Gstd.GatewayTests.Tasks;

public sealed class TaskHttpTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Only_a_dead_lettered_or_expired_task_is_redriven_and_only_a_waiting_one_retried_now()
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var id = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Base64("hi"), price = "0.5" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        await (await client.PostJsonAsync($"/api/tasks/{id}/redrive", new { })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");
        using (var keyed = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/tasks/{id}/redrive", UriKind.Relative)) { Content = JsonContent.Create(new { }) })
        {
            keyed.Headers.Add("Idempotency-Key", new string('k', 201));
            await (await client.SendAsync(keyed)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }

        await (await client.PostJsonAsync("/api/tasks/tsk_unknown/redrive", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        var (_, strangerKey) = await gateway.SignUpAsync("client");
        using var stranger = gateway.Client(strangerKey);
        await (await stranger.PostJsonAsync($"/api/tasks/{id}/redrive", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.PostJsonAsync($"/api/admin/tasks/{id}/retry-now", new { })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");
        await (await admin.PostJsonAsync("/api/admin/tasks/tsk_unknown/retry-now", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await AssertBalanceAsync(client, "9.475", "0.525");
    }

    [Fact]
    public async Task A_submitted_task_holds_price_and_fee_and_a_cancel_gives_both_back()
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var task = await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Base64("hi"), price = "0.5" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Queued", task.GetProperty("status").GetString());
        Assert.Equal("0.025", task.GetProperty("fee").GetString());
        Assert.Equal("Held", task.GetProperty("escrow").GetProperty("state").GetString());
        Assert.Equal("0.525", task.GetProperty("escrow").GetProperty("amount").GetString());
        Assert.Equal(30, task.GetProperty("spec").GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(TestModulesIdOf("hi"), task.GetProperty("inputId").GetString());
        await AssertBalanceAsync(client, "9.475", "0.525");

        var id = task.GetProperty("id").GetString();
        var read = await (await client.GetAsync($"/api/tasks/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, read.GetProperty("id").GetString());
        await (await client.PostJsonAsync($"/api/tasks/{id}/accept", new { })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");

        var cancelled = await (await client.PostJsonAsync($"/api/tasks/{id}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("Refunded", cancelled.GetProperty("escrow").GetProperty("state").GetString());
        Assert.Equal(["Queued", "Cancelled"], cancelled.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        await (await client.PostJsonAsync($"/api/tasks/{id}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        await AssertBalanceAsync(client, "10", "0");

        var entries = await (await client.GetAsync("/api/ledger/entries")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["refund", "hold", "deposit"], entries.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task The_same_idempotency_key_creates_and_pays_for_one_task()
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var body = new { moduleId, input = Base64("once"), price = "1" };
        var key = Guid.NewGuid().ToString();
        var first = await SubmitWithKeyAsync(client, body, key);
        var firstTask = await first.JsonAsync(HttpStatusCode.Created);
        var second = await SubmitWithKeyAsync(client, body, key);
        var secondTask = await second.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstTask.GetProperty("id").GetString(), secondTask.GetProperty("id").GetString());

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SubmitWithKeyAsync(client, body, key)));
        Assert.All(racing, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        await (await SubmitWithKeyAsync(client, new { moduleId, input = Base64("other"), price = "1" }, key))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await AssertBalanceAsync(client, "8.95", "1.05");
    }

    [Theory]
    [InlineData("{\"price\":\"1\",\"input\":\"aGk=\",\"moduleId\":", "validation_failed")]
    [InlineData("{\"price\":1,\"input\":\"aGk=\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"1e3\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"-1\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"0.0000000001\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"1\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\",\"timeoutSeconds\":0}", "validation_failed")]
    [InlineData("{\"price\":\"1\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\",\"replicas\":6}", "validation_failed")]
    [InlineData("{\"price\":\"1\",\"input\":\"!!!\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"1\",\"moduleId\":\"MODULE\"}", "validation_failed")]
    [InlineData("{\"price\":\"1\",\"input\":\"aGk=\",\"moduleId\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}", "module_not_found")]
    [InlineData("{\"price\":\"100\",\"input\":\"aGk=\",\"moduleId\":\"MODULE\"}", "insufficient_funds")]
    public async Task Bad_submissions_get_their_code_and_move_no_money(string body, string code)
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var response = await client.PostRawAsync("/api/tasks", body.Replace("MODULE", moduleId, StringComparison.Ordinal));
        var status = code switch
        {
            "insufficient_funds" => HttpStatusCode.PaymentRequired,
            _ => HttpStatusCode.BadRequest,
        };
        await response.ProblemAsync(status, code);
        await AssertBalanceAsync(client, "10", "0");
        var list = await (await client.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Another_clients_task_and_module_are_not_found()
    {
        var (alice, aliceModule) = await FundedClientWithModuleAsync("10");
        var task = await (await alice.PostJsonAsync("/api/tasks", new { moduleId = aliceModule, input = Base64("x"), price = "1" })).JsonAsync(HttpStatusCode.Created);
        var id = task.GetProperty("id").GetString();

        var bob = await FundedClientAsync("10");
        await (await bob.GetAsync($"/api/tasks/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.PostJsonAsync($"/api/tasks/{id}/cancel", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.PostJsonAsync("/api/tasks", new { moduleId = aliceModule, input = Base64("x"), price = "1" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "module_not_found");
        await AssertBalanceAsync(bob, "10", "0");
        var read = await (await alice.GetAsync($"/api/tasks/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Queued", read.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_list_pages_newest_first_and_filters_by_status()
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Base64($"n{i}"), price = "0.1" }))
                .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        await (await client.PostJsonAsync($"/api/tasks/{ids[1]}/cancel", new { })).JsonAsync(HttpStatusCode.OK);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync("/api/tasks?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        var cancelled = await (await client.GetAsync("/api/tasks?status=Cancelled")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ids[1]], cancelled.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        await (await client.GetAsync("/api/tasks?status=Done")).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_task_nobody_takes_expires_at_its_queue_timeout_with_a_refund()
    {
        var (client, moduleId) = await FundedClientWithModuleAsync("10");
        var task = await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Base64("late"), price = "1", queueTimeoutSeconds = 10 }))
            .JsonAsync(HttpStatusCode.Created);
        var id = task.GetProperty("id").GetString();

        var expired = await Eventually.Until(
            async () => await (await client.GetAsync($"/api/tasks/{id}")).JsonAsync(HttpStatusCode.OK),
            t => t.GetProperty("status").GetString() == "Expired", TimeSpan.FromSeconds(40), "the task to expire");
        Assert.Equal("queue_timeout", expired.GetProperty("reason").GetProperty("code").GetString());
        await AssertBalanceAsync(client, "10", "0");
    }

    private async Task<HttpClient> FundedClientAsync(string amount)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var client = gateway.Client(key);
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount })).JsonAsync(HttpStatusCode.Created);
        return client;
    }

    private async Task<(HttpClient Client, string ModuleId)> FundedClientWithModuleAsync(string amount)
    {
        var client = await FundedClientAsync(amount);
        var module = new ByteArrayContent(TestModules.Wasm("echo"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var uploaded = await client.PostAsync(new Uri("/api/modules", UriKind.Relative), module);
        var moduleId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        return (client, moduleId);
    }

    private static async Task<HttpResponseMessage> SubmitWithKeyAsync(HttpClient client, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/tasks", UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static async Task AssertBalanceAsync(HttpClient client, string available, string escrow)
    {
        var me = await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(available, me.GetProperty("balance").GetProperty("available").GetString());
        Assert.Equal(escrow, me.GetProperty("balance").GetProperty("escrow").GetString());
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string TestModulesIdOf(string text) => TestModules.IdOf(Encoding.UTF8.GetBytes(text));
}
