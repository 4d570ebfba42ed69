using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gstd.Gateway.Tasks;
using Gstd.Grains.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Tasks;

/// <summary>A gateway whose bulk-redrive limit the tests here never reach; the limit has its own test.</summary>
public sealed class DeadLetterGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:BulkRedrivesPerMinute"] = "1000",
    };
}

/// <summary>
/// The dead-letter queue over HTTP. Tasks get there the way they do in production, through a worker that
/// fails or declines them; at most one agent is connected at a time, so every task goes to the agent a test
/// expects, and every test leaves no task queued for the next one's agent. The listings are shared by the
/// tests of this class, so admin assertions look only at this test's tasks or filter by its workers.
/// </summary>
public sealed class DeadLetterHttpTests(DeadLetterGateway gateway) : IClassFixture<DeadLetterGateway>
{
    [Fact]
    public async Task A_client_lists_only_its_own_dead_letters_with_every_attempt_and_the_terminal_reason()
    {
        var (alice, aliceModule) = await ClientWithModuleAsync("10");
        var (bob, bobModule) = await ClientWithModuleAsync("10");
        string a1, b1, workerId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerId = agent.WorkerId;
            a1 = await SubmitAsync(alice, aliceModule);
            await agent.FailAsync(a1, "trap");
            b1 = await SubmitAsync(bob, bobModule);
            await agent.DeclineAsync(b1);
            await agent.FailAsync(b1, "out_of_memory");
        }

        var own = Items(await (await alice.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK));
        var entry = Assert.Single(own);
        Assert.Equal(a1, entry.GetProperty("id").GetString());
        Assert.Equal("DeadLettered", entry.GetProperty("status").GetString());
        Assert.Equal("attempts_exhausted", entry.GetProperty("reason").GetProperty("code").GetString());
        Assert.Equal("Refunded", entry.GetProperty("escrow").GetProperty("state").GetString());
        var attempt = Assert.Single(entry.GetProperty("attempts").EnumerateArray());
        Assert.Equal((1, workerId, "Failed", "trap"), (attempt.GetProperty("number").GetInt32(), attempt.GetProperty("workerId").GetString(),
            attempt.GetProperty("outcome").GetString(), attempt.GetProperty("error").GetProperty("code").GetString()));
        await ClientSteps.AssertBalanceAsync(alice, "10", "0");

        var bobs = Assert.Single(Items(await (await bob.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK)));
        Assert.Equal(b1, bobs.GetProperty("id").GetString());
        Assert.Equal([("WorkerLost", "declined"), ("Failed", "out_of_memory")], bobs.GetProperty("attempts").EnumerateArray()
            .Select(a => (a.GetProperty("outcome").GetString(), a.GetProperty("error").GetProperty("code").GetString())));

        // A client's filters apply to its own dead letters only.
        Assert.Equal([b1], Ids(await (await bob.GetAsync("/api/dead-letters?minAttempts=2")).JsonAsync(HttpStatusCode.OK)));
        Assert.Empty(Ids(await (await alice.GetAsync("/api/dead-letters?minAttempts=2")).JsonAsync(HttpStatusCode.OK)));
        Assert.Equal([a1], Ids(await (await alice.GetAsync($"/api/dead-letters?workerId={workerId}&reason=attempts_exhausted")).JsonAsync(HttpStatusCode.OK)));

        var (_, strangerKey) = await gateway.SignUpAsync("client");
        using var stranger = gateway.Client(strangerKey);
        Assert.Empty(Ids(await (await stranger.GetAsync($"/api/dead-letters?workerId={workerId}")).JsonAsync(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Admins_list_every_clients_dead_letters_and_filter_them_by_reason_worker_time_and_attempts()
    {
        var (alice, aliceModule) = await ClientWithModuleAsync("10");
        var (bob, bobModule) = await ClientWithModuleAsync("10");
        string a1, b1, b2, workerA, workerB;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerA = agent.WorkerId;
            a1 = await SubmitAsync(alice, aliceModule);
            await agent.FailAsync(a1);
            b1 = await SubmitAsync(bob, bobModule);
            await agent.DeclineAsync(b1);
            await agent.FailAsync(b1);
        }

        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerB = agent.WorkerId;
            b2 = await SubmitAsync(bob, bobModule);
            await agent.DeclineAsync(b2, TaskGrain.MaxReassignments + 1);
        }

        using var admin = gateway.Client(gateway.AdminKey);
        async Task<List<string>> ListAsync(string query) =>
            Ids(await (await admin.GetAsync("/api/admin/dead-letters?limit=500" + query)).JsonAsync(HttpStatusCode.OK))
                .Where(id => id == a1 || id == b1 || id == b2).ToList();

        // Most recently dead-lettered first, whoever the client.
        Assert.Equal([b2, b1, a1], await ListAsync(""));
        Assert.Equal([b1, a1], await ListAsync($"&workerId={workerA}"));
        Assert.Equal([b2], await ListAsync($"&workerId={workerB}"));
        Assert.Equal([b1, a1], await ListAsync("&reason=attempts_exhausted"));
        Assert.Equal([b2], await ListAsync("&reason=reassignments_exhausted"));
        Assert.Empty(await ListAsync("&reason=no_such_reason"));
        Assert.Equal([b2, b1], await ListAsync("&minAttempts=2"));
        Assert.Equal([b2], await ListAsync($"&minAttempts={TaskGrain.MaxReassignments + 1}"));
        Assert.Empty(await ListAsync($"&minAttempts={TaskGrain.MaxReassignments + 2}"));
        Assert.Equal([b1], await ListAsync($"&workerId={workerA}&minAttempts=2&reason=attempts_exhausted"));

        // The time range is when a task was dead-lettered: from is inclusive, to exclusive.
        var b1At = await DeadLetteredAtAsync(admin, workerA, b1);
        Assert.Equal([b2, b1], await ListAsync($"&from={b1At}"));
        Assert.Equal([a1], await ListAsync($"&to={b1At}"));
        Assert.Equal([b1, a1], await ListAsync($"&from={await DeadLetteredAtAsync(admin, workerA, a1)}&to={await DeadLetteredAtAsync(admin, workerB, b2)}"));

        var first = await (await admin.GetAsync($"/api/admin/dead-letters?workerId={workerA}&limit=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([b1], Ids(first));
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await (await admin.GetAsync($"/api/admin/dead-letters?workerId={workerA}&limit=1&cursor={cursor}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([a1], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("minAttempts=-1")]
    [InlineData("minAttempts=0")]
    [InlineData("minAttempts=101")]
    [InlineData("minAttempts=two")]
    [InlineData("limit=0")]
    [InlineData("limit=10000")]
    [InlineData("cursor=notacursor")]
    [InlineData("cursor=MTIz")]
    [InlineData("workerId=wrk%3Anot-an-id")]
    [InlineData("from=yesterday")]
    [InlineData("reason=")]
    [InlineData("reason=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Bad_listing_filters_are_refused_with_a_problem(string query)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        using var admin = gateway.Client(gateway.AdminKey);
        await (await client.GetAsync("/api/dead-letters?" + query)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await admin.GetAsync("/api/admin/dead-letters?" + query)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_bulk_redrive_redrives_only_matching_dead_letters_and_skips_a_client_who_cannot_pay()
    {
        var (alice, aliceModule) = await ClientWithModuleAsync("10");
        // Exactly one task's escrow (0.5 and a 5 % fee): refunded when it is dead-lettered, then partly spent.
        var (poor, poorModule) = await ClientWithModuleAsync("0.525");
        string a1, a2, p1, workerId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerId = agent.WorkerId;
            a1 = await SubmitAsync(alice, aliceModule);
            await agent.FailAsync(a1);
            p1 = await SubmitAsync(poor, poorModule);
            await agent.FailAsync(p1);
            a2 = await SubmitAsync(alice, aliceModule);
            await agent.DeclineAsync(a2, TaskGrain.MaxReassignments + 1);
        }

        // No worker is online now: this task stays Queued and holds 0.105 of the poor client's 0.525.
        var spent = await SubmitAsync(poor, poorModule, price: "0.1");
        await ClientSteps.AssertBalanceAsync(poor, "0.42", "0.105");

        using var admin = gateway.Client(gateway.AdminKey);
        foreach (var bad in new object[]
                 {
                     new { workerId, limit = 0 }, new { workerId, limit = DeadLetterEndpoints.MaxBulkRedrive + 1 }, new { workerId, minAttempts = 0 },
                     new { workerId, from = "yesterday" }, new { workerId = "wrk:not-an-id" }, new { workerId, reason = 7 }, new { workerId, cursor = "nope" },
                 })
        {
            await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", bad)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }

        Assert.Equal([a2, p1, a1], await DeadLettersOfAsync(admin, workerId));
        await ClientSteps.AssertBalanceAsync(alice, "10", "0");

        var bulk = await BulkRedriveAsync(admin, new { workerId, reason = "attempts_exhausted", limit = DeadLetterEndpoints.MaxBulkRedrive });
        Assert.Equal((2, 1, 1, false, null), bulk);
        var redriven = await (await alice.GetAsync($"/api/tasks/{a1}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Queued", redriven.GetProperty("status").GetString());
        Assert.Empty(redriven.GetProperty("attempts").EnumerateArray());
        Assert.Equal(("Held", "0.525"), (redriven.GetProperty("escrow").GetProperty("state").GetString(), redriven.GetProperty("escrow").GetProperty("amount").GetString()));
        await ClientSteps.AssertBalanceAsync(alice, "9.475", "0.525");
        Assert.Equal("DeadLettered", (await (await poor.GetAsync($"/api/tasks/{p1}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        await ClientSteps.AssertBalanceAsync(poor, "0.42", "0.105");
        Assert.Equal([a2, p1], await DeadLettersOfAsync(admin, workerId));

        // Newest first, one at a time: more says another call with the answer's cursor would find more.
        var first = await BulkRedriveAsync(admin, new { workerId, limit = 1 });
        Assert.Equal((1, 1, 0, true), (first.Matched, first.Redriven, first.Unfunded, first.More));
        Assert.Equal("Queued", (await (await alice.GetAsync($"/api/tasks/{a2}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal((1, 0, 1, false, null), await BulkRedriveAsync(admin, new { workerId, limit = 1, cursor = first.Next }));
        Assert.Equal([p1], await DeadLettersOfAsync(admin, workerId));
        await ClientSteps.AssertBalanceAsync(alice, "8.95", "1.05");
        await ClientSteps.AssertBalanceAsync(poor, "0.42", "0.105");

        // Leave nothing queued for the next test's agent.
        await ClientSteps.CancelAsync(alice, a1);
        await ClientSteps.CancelAsync(alice, a2);
        await ClientSteps.CancelAsync(poor, spent);
        await ClientSteps.AssertBalanceAsync(alice, "10", "0");
    }

    [Fact]
    public async Task Only_admins_reach_the_admin_routes_and_a_refused_bulk_redrive_changes_nothing()
    {
        var (client, moduleId) = await ClientWithModuleAsync("10");
        string taskId, workerId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerId = agent.WorkerId;
            taskId = await SubmitAsync(client, moduleId);
            await agent.FailAsync(taskId);
        }

        var (workerAccount, workerKey) = await gateway.SignUpAsync("worker");
        using (var admin = gateway.Client(gateway.AdminKey))
        {
            await (await admin.PostJsonAsync($"/api/admin/accounts/{workerAccount}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        }

        using var worker = gateway.Client(workerKey);
        using var anonymous = gateway.Client();
        var refused = new[]
        {
            (client, HttpStatusCode.Forbidden, "forbidden"), (worker, HttpStatusCode.Forbidden, "forbidden"), (anonymous, HttpStatusCode.Unauthorized, "unauthorized"),
        };
        foreach (var (caller, status, code) in refused)
        {
            await (await caller.PostJsonAsync("/api/admin/dead-letters/redrive", new { workerId })).ProblemAsync(status, code);
            await (await caller.GetAsync($"/api/admin/dead-letters?workerId={workerId}")).ProblemAsync(status, code);
        }

        await (await worker.GetAsync("/api/dead-letters")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await anonymous.GetAsync("/api/dead-letters")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal([taskId], Ids(await (await client.GetAsync("/api/dead-letters")).JsonAsync(HttpStatusCode.OK)));
        await ClientSteps.AssertBalanceAsync(client, "10", "0");
    }

    private Task<(HttpClient Client, string ModuleId)> ClientWithModuleAsync(string deposit) => ClientSteps.ClientWithModuleAsync(gateway, deposit);

    /// <summary>One attempt: the first failure dead-letters the task.</summary>
    private static async Task<string> SubmitAsync(HttpClient client, string moduleId, string price = "0.5")
    {
        var task = await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Convert.ToBase64String(Guid.NewGuid().ToByteArray()), price, maxAttempts = 1 }))
            .JsonAsync(HttpStatusCode.Created);
        return task.GetProperty("id").GetString()!;
    }

    private static async Task<(int Matched, int Redriven, int Unfunded, bool More, string? Next)> BulkRedriveAsync(HttpClient admin, object filter)
    {
        var answer = await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", filter)).JsonAsync(HttpStatusCode.OK);
        return (answer.GetProperty("matched").GetInt32(), answer.GetProperty("redriven").GetInt32(),
            answer.GetProperty("unfunded").GetInt32(), answer.GetProperty("more").GetBoolean(), answer.GetProperty("next").GetString());
    }

    private static async Task<List<string>> DeadLettersOfAsync(HttpClient admin, string workerId) =>
        Ids(await (await admin.GetAsync($"/api/admin/dead-letters?workerId={workerId}")).JsonAsync(HttpStatusCode.OK));

    /// <summary>When a dead letter of the worker's was dead-lettered, as the listing says it, escaped for a query string.</summary>
    private static async Task<string> DeadLetteredAtAsync(HttpClient admin, string workerId, string taskId)
    {
        var page = await (await admin.GetAsync($"/api/admin/dead-letters?workerId={workerId}")).JsonAsync(HttpStatusCode.OK);
        var task = Items(page).Single(t => t.GetProperty("id").GetString() == taskId);
        return Uri.EscapeDataString(task.GetProperty("updatedAt").GetString()!);
    }

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static List<string> Ids(JsonElement page) => Items(page).Select(t => t.GetProperty("id").GetString()!).ToList();
}
