using System.Net;

namespace Gstd.GatewayTests.Accounts;

public sealed class AccountTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_new_client_gets_its_key_once_and_sees_an_empty_balance()
    {
        using var anonymous = gateway.Client();
        var created = await (await anonymous.PostJsonAsync("/api/accounts", new { name = "Alice", roles = new[] { "client" } }))
            .JsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("apiKey").GetString()!;
        Assert.StartsWith("gstd_", key, StringComparison.Ordinal);
        Assert.Equal("Alice", created.GetProperty("name").GetString());
        Assert.Equal(["client"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var alice = gateway.Client(key);
        var me = await (await alice.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetString(), me.GetProperty("id").GetString());
        Assert.Equal("0", me.GetProperty("balance").GetProperty("available").GetString());
        Assert.Equal("0", me.GetProperty("balance").GetProperty("escrow").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("workerRole").ValueKind);

        var keys = await (await alice.GetAsync("/api/accounts/me/keys")).JsonAsync(HttpStatusCode.OK);
        var listed = Assert.Single(keys.GetProperty("items").EnumerateArray());
        Assert.Equal(created.GetProperty("keyId").GetString(), listed.GetProperty("keyId").GetString());
        Assert.Equal(key.Substring(5, 12), listed.GetProperty("prefix").GetString());
        Assert.False(listed.TryGetProperty("apiKey", out _));
    }

    [Theory]
    [InlineData("""{"roles":["client"]}""", "name")]
    [InlineData("""{"name":"  ","roles":["client"]}""", "name")]
    [InlineData("""{"name":"x","roles":["admin"]}""", "roles")]
    [InlineData("""{"name":"x","roles":["client","admin"]}""", "roles")]
    [InlineData("""{"name":"x","roles":[]}""", "roles")]
    [InlineData("""{"name":"x","roles":"client"}""", "roles")]
    [InlineData("""{"name":"x","roles":["root"]}""", "roles")]
    [InlineData("""{"name":42,"roles":["client"]}""", "name")]
    public async Task Bad_sign_ups_are_refused_field_by_field(string body, string field)
    {
        using var anonymous = gateway.Client();
        var problem = await (await anonymous.PostRawAsync("/api/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Bodies_that_are_not_json_objects_are_refused(string body)
    {
        using var anonymous = gateway.Client();
        await (await anonymous.PostRawAsync("/api/accounts", body)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_worker_waits_for_approval_and_an_admin_approves_it()
    {
        var (id, key) = await gateway.SignUpAsync("worker");
        using var worker = gateway.Client(key);
        var before = await (await worker.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("PendingApproval", before.GetProperty("workerRole").GetString());

        using var admin = gateway.Client(gateway.AdminKey);
        var approved = await (await admin.PostJsonAsync($"/api/admin/accounts/{id}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Active", approved.GetProperty("workerRole").GetString());
        await (await admin.PostJsonAsync($"/api/admin/accounts/{id}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);

        var after = await (await worker.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Active", after.GetProperty("workerRole").GetString());
    }

    [Fact]
    public async Task Approving_an_account_without_the_worker_role_is_a_conflict_and_unknown_accounts_are_not_found()
    {
        var (clientId, _) = await gateway.SignUpAsync("client");
        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.PostJsonAsync($"/api/admin/accounts/{clientId}/approve-worker", new { })).ProblemAsync(HttpStatusCode.Conflict, "invalid_state");
        await (await admin.PostJsonAsync("/api/admin/accounts/acc_nobody/approve-worker", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Keys_can_be_added_scoped_and_revoked_and_revocation_takes_effect_at_once()
    {
        var (_, key) = await gateway.SignUpAsync("client", "worker");
        using var owner = gateway.Client(key);
        var created = await (await owner.PostJsonAsync("/api/accounts/me/keys", new { scope = "worker" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("worker", created.GetProperty("scope").GetString());
        var agentKey = created.GetProperty("apiKey").GetString()!;

        using var agent = gateway.Client(agentKey);
        await (await agent.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        await (await agent.GetAsync("/api/accounts/me/keys")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await agent.PostJsonAsync("/api/accounts/me/keys", new { scope = "full" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var keys = await (await owner.GetAsync("/api/accounts/me/keys")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, keys.GetProperty("items").GetArrayLength());

        var revoke = await owner.DeleteAsync(new Uri($"/api/accounts/me/keys/{created.GetProperty("keyId").GetString()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await (await agent.GetAsync("/api/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var remaining = await (await owner.GetAsync("/api/accounts/me/keys")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, remaining.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Another_accounts_key_cannot_be_revoked_or_even_seen()
    {
        var (_, aliceKey) = await gateway.SignUpAsync("client");
        var (_, bobKey) = await gateway.SignUpAsync("client");
        using var bob = gateway.Client(bobKey);
        var bobKeys = await (await bob.GetAsync("/api/accounts/me/keys")).JsonAsync(HttpStatusCode.OK);
        var bobKeyId = bobKeys.GetProperty("items")[0].GetProperty("keyId").GetString();

        using var alice = gateway.Client(aliceKey);
        var attempt = await alice.DeleteAsync(new Uri($"/api/accounts/me/keys/{bobKeyId}", UriKind.Relative));
        await attempt.ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await bob.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"scope":"admin"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"scope":1}""")]
    public async Task Unknown_key_scopes_are_refused(string body)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var owner = gateway.Client(key);
        await (await owner.PostRawAsync("/api/accounts/me/keys", body)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData("Bearer gstd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Unknown_or_malformed_credentials_are_unauthorized(string header)
    {
        using var client = gateway.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        await (await client.GetAsync("/api/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_key_that_differs_from_a_real_one_only_after_the_prefix_is_refused()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var forged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        using var client = gateway.Client(forged);
        await (await client.GetAsync("/api/accounts/me")).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_they_are_read()
    {
        using var anonymous = gateway.Client();
        var huge = "{\"name\":\"" + new string('x', 100_000) + "\",\"roles\":[\"client\"]}";
        await (await anonymous.PostRawAsync("/api/accounts", huge)).ProblemAsync(System.Net.HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Names_longer_than_a_hundred_characters_are_refused()
    {
        using var anonymous = gateway.Client();
        var problem = await (await anonymous.PostJsonAsync("/api/accounts", new { name = new string('x', 101), roles = new[] { "client" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }
}
