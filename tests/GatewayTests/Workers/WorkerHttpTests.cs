using System.Net;
using NSec.Cryptography;

namespace Gstd.GatewayTests.Workers;

public sealed class WorkerHttpTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task An_approved_worker_registers_once_per_public_key_at_a_rounded_location()
    {
        var (_, key) = await ApprovedWorkerAsync();
        using var agent = gateway.Client(key);
        var publicKey = NewPublicKey();
        var body = new { name = "paris-1", publicKey, capabilities = new[] { "wasm" }, capacity = 4, location = new { lat = 48.8566, lon = 2.3522 } };

        var created = await (await agent.PostJsonAsync("/api/workers", body)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(49, created.GetProperty("location").GetProperty("lat").GetInt32());
        Assert.Equal(2, created.GetProperty("location").GetProperty("lon").GetInt32());
        Assert.Equal("Active", created.GetProperty("status").GetString());
        Assert.Equal(0.5, created.GetProperty("trust").GetDouble());

        var again = await (await agent.PostJsonAsync("/api/workers", body with { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        var list = await (await agent.GetAsync("/api/workers")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_public_key_belongs_to_one_account()
    {
        var publicKey = NewPublicKey();
        var (_, first) = await ApprovedWorkerAsync();
        var (_, second) = await ApprovedWorkerAsync();
        using var a = gateway.Client(first);
        using var b = gateway.Client(second);
        var body = new { name = "w", publicKey, capabilities = new[] { "wasm" }, capacity = 1 };
        await (await a.PostJsonAsync("/api/workers", body)).JsonAsync(HttpStatusCode.Created);
        await (await b.PostJsonAsync("/api/workers", body)).ProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("""{"name":"w","publicKey":"AAAA","capabilities":["wasm"],"capacity":1}""", "publicKey")]
    [InlineData("""{"name":"w","publicKey":"KEY","capabilities":["gpu"],"capacity":1}""", "capabilities")]
    [InlineData("""{"name":"w","publicKey":"KEY","capabilities":["wasm"],"capacity":0}""", "capacity")]
    [InlineData("""{"name":"w","publicKey":"KEY","capabilities":["wasm"],"capacity":65}""", "capacity")]
    [InlineData("""{"name":"w","publicKey":"KEY","capabilities":["wasm"],"location":{"lat":91,"lon":0}}""", "location")]
    [InlineData("""{"publicKey":"KEY","capabilities":["wasm"]}""", "name")]
    public async Task Bad_registrations_are_refused_field_by_field(string body, string field)
    {
        var (_, key) = await ApprovedWorkerAsync();
        using var agent = gateway.Client(key);
        var problem = await (await agent.PostRawAsync("/api/workers", body.Replace("KEY", NewPublicKey(), StringComparison.Ordinal)))
            .ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Workers_wait_for_approval_and_clients_cannot_register_workers()
    {
        var (_, pending) = await gateway.SignUpAsync("worker");
        var (_, client) = await gateway.SignUpAsync("client");
        var body = new { name = "w", publicKey = NewPublicKey(), capabilities = new[] { "wasm" }, capacity = 1 };
        using var p = gateway.Client(pending);
        using var c = gateway.Client(client);
        await (await p.PostJsonAsync("/api/workers", body)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await c.PostJsonAsync("/api/workers", body)).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Owners_and_admins_see_a_worker_others_do_not_and_admins_suspend_it()
    {
        var (_, key) = await ApprovedWorkerAsync();
        using var owner = gateway.Client(key);
        var id = await RegisterAsync(owner);

        var (_, stranger) = await gateway.SignUpAsync("client");
        using var other = gateway.Client(stranger);
        await (await other.GetAsync($"/api/workers/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.GetAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.OK);
        var suspended = await (await admin.PostJsonAsync($"/api/admin/workers/{id}/suspend", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        Assert.Equal("Suspended", (await (await owner.GetAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        var resumed = await (await admin.PostJsonAsync($"/api/admin/workers/{id}/resume", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Active", resumed.GetProperty("status").GetString());
        await (await admin.PostJsonAsync("/api/admin/workers/wrk_unknown/suspend", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_worker_read_on_its_own_shows_liveness_leases_counters_earnings_and_trust_history()
    {
        var (_, key) = await ApprovedWorkerAsync();
        using var owner = gateway.Client(key);
        var id = await RegisterAsync(owner);

        var worker = await (await owner.GetAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(worker.GetProperty("online").GetBoolean());
        Assert.Equal(0, worker.GetProperty("activeLeases").GetInt32());
        Assert.Empty(worker.GetProperty("trustHistory").EnumerateArray());
        Assert.Equal(0, worker.GetProperty("counters").GetProperty("completed").GetInt64());
        Assert.Equal(0, worker.GetProperty("counters").GetProperty("settled").GetInt64());
        Assert.Equal(0m, decimal.Parse(worker.GetProperty("earned").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_owner_changes_a_workers_capacity_and_nobody_else_can()
    {
        var (_, key) = await ApprovedWorkerAsync();
        using var owner = gateway.Client(key);
        var id = await RegisterAsync(owner);

        var changed = await (await owner.PatchJsonAsync($"/api/workers/{id}", new { capacity = 6 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, changed.GetProperty("capacity").GetInt32());
        Assert.Equal(6, (await (await owner.GetAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("capacity").GetInt32());

        foreach (var bad in new object[] { new { capacity = 0 }, new { capacity = 65 }, new { capacity = "2" }, new { } })
        {
            var problem = await (await owner.PatchJsonAsync($"/api/workers/{id}", bad)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty("capacity", out _), problem.ToString());
        }

        var (_, otherKey) = await ApprovedWorkerAsync();
        using var other = gateway.Client(otherKey);
        await (await other.PatchJsonAsync($"/api/workers/{id}", new { capacity = 64 })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(6, (await (await owner.GetAsync($"/api/workers/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("capacity").GetInt32());
    }

    private static async Task<string> RegisterAsync(HttpClient owner) =>
        (await (await owner.PostJsonAsync("/api/workers", new { name = "w", publicKey = NewPublicKey(), capabilities = new[] { "wasm" }, capacity = 1 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private async Task<(string Id, string Key)> ApprovedWorkerAsync()
    {
        var account = await gateway.SignUpAsync("worker");
        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.PostJsonAsync($"/api/admin/accounts/{account.Id}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        return account;
    }

    private static string NewPublicKey()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        return Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }
}
