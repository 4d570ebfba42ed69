using System.Net;
using System.Text.Json;

namespace Gstd.GatewayTests.Ledger;

public sealed class LedgerHttpTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_faucet_credits_up_to_a_thousand_gstd_a_call_and_the_journal_shows_it()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var deposit = await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "1000" })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("1000", deposit.GetProperty("balance").GetProperty("available").GetString());
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "1000.000000001" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "0.25" })).JsonAsync(HttpStatusCode.Created);

        var me = await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("1000.25", me.GetProperty("balance").GetProperty("available").GetString());

        var entries = await (await client.GetAsync("/api/ledger/entries")).JsonAsync(HttpStatusCode.OK);
        var items = entries.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["0.25", "1000"], items.Select(i => i.GetProperty("amount").GetString()));
        Assert.All(items, i => Assert.Equal("deposit", i.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, entries.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("""{"amount":1.5}""")]
    [InlineData("""{"amount":"00.5"}""")]
    [InlineData("""{"amount":".5"}""")]
    [InlineData("""{"amount":"1."}""")]
    [InlineData("""{"amount":"1e3"}""")]
    [InlineData("""{"amount":"-1"}""")]
    [InlineData("""{"amount":"0"}""")]
    [InlineData("""{"amount":" 1"}""")]
    [InlineData("""{"amount":"1.0000000001"}""")]
    [InlineData("""{}""")]
    public async Task Money_that_is_not_canonical_is_refused_and_moves_nothing(string body)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var problem = await (await client.PostRawAsync("/api/accounts/me/deposits", body)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _));
        var me = await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("0", me.GetProperty("balance").GetProperty("available").GetString());
    }

    [Fact]
    public async Task Admin_deposits_are_idempotent_by_reference()
    {
        var (id, key) = await gateway.SignUpAsync("client");
        using var admin = gateway.Client(gateway.AdminKey);
        var reference = "wire-" + Guid.NewGuid().ToString("N");

        var first = await admin.PostJsonAsync($"/api/admin/accounts/{id}/deposits", new { amount = "12.5", reference });
        Assert.Equal("12.5", (await first.JsonAsync(HttpStatusCode.Created)).GetProperty("balance").GetProperty("available").GetString());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));

        var again = await admin.PostJsonAsync($"/api/admin/accounts/{id}/deposits", new { amount = "12.5", reference });
        Assert.Equal("12.5", (await again.JsonAsync(HttpStatusCode.Created)).GetProperty("balance").GetProperty("available").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        await (await admin.PostJsonAsync($"/api/admin/accounts/{id}/deposits", new { amount = "13", reference }))
            .ProblemAsync(HttpStatusCode.Conflict, "conflict");
        var (otherId, _) = await gateway.SignUpAsync("client");
        await (await admin.PostJsonAsync($"/api/admin/accounts/{otherId}/deposits", new { amount = "12.5", reference }))
            .ProblemAsync(HttpStatusCode.Conflict, "conflict");

        using var owner = gateway.Client(key);
        var me = await (await owner.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("12.5", me.GetProperty("balance").GetProperty("available").GetString());
    }

    [Fact]
    public async Task Deposits_to_unknown_accounts_are_not_found()
    {
        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.PostJsonAsync("/api/admin/accounts/acc_nobody/deposits", new { amount = "1", reference = "x" }))
            .ProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.PostJsonAsync("/api/admin/accounts/a:b/deposits", new { amount = "1", reference = "x" }))
            .ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_journal_pages_newest_first_with_an_opaque_cursor()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        foreach (var amount in new[] { "1", "2", "3" })
        {
            await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount })).JsonAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync("/api/ledger/entries?limit=2" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("amount").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["3", "2", "1"], seen);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=501")]
    [InlineData("?limit=abc")]
    [InlineData("?cursor=!!!")]
    [InlineData("?cursor=AAAA")]
    [InlineData("?from=yesterday")]
    [InlineData("?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task Bad_list_parameters_are_refused(string query)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        await (await client.GetAsync("/api/ledger/entries" + query)).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Nobody_sees_another_accounts_journal()
    {
        var (_, aliceKey) = await gateway.SignUpAsync("client");
        var (_, bobKey) = await gateway.SignUpAsync("client");
        using var alice = gateway.Client(aliceKey);
        await (await alice.PostJsonAsync("/api/accounts/me/deposits", new { amount = "5" })).JsonAsync(HttpStatusCode.Created);
        using var bob = gateway.Client(bobKey);
        var entries = await (await bob.GetAsync("/api/ledger/entries")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, entries.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_admin_deposit_that_would_overflow_a_balance_is_refused_and_credits_nothing()
    {
        var (accountId, key) = await gateway.SignUpAsync("client");
        using var admin = gateway.Client(gateway.AdminKey);
        // A billion GSTD is the most one deposit may be; the ledger holds a little over nine of them in one balance.
        for (var i = 0; i < 9; i++)
        {
            await (await admin.PostJsonAsync($"/api/admin/accounts/{accountId}/deposits", new { amount = "1000000000", reference = $"big-{accountId}-{i}" }))
                .JsonAsync(HttpStatusCode.Created);
        }

        var refused = await (await admin.PostJsonAsync($"/api/admin/accounts/{accountId}/deposits", new { amount = "1000000000", reference = $"big-{accountId}-9" }))
            .ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(refused.GetProperty("errors").TryGetProperty("amount", out _));
        using var owner = gateway.Client(key);
        var me = await (await owner.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("9000000000", me.GetProperty("balance").GetProperty("available").GetString());
        var audit = await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, audit.GetProperty("journalSum").GetInt64());
    }

    [Fact]
    public async Task A_worker_scoped_key_may_not_use_the_faucet()
    {
        var (_, key) = await gateway.SignUpAsync("client", "worker");
        using var owner = gateway.Client(key);
        var scoped = await (await owner.PostJsonAsync("/api/accounts/me/keys", new { scope = "worker" })).JsonAsync(HttpStatusCode.Created);
        using var agent = gateway.Client(scoped.GetProperty("apiKey").GetString());
        await (await agent.PostJsonAsync("/api/accounts/me/deposits", new { amount = "1" })).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await owner.PostJsonAsync("/api/accounts/me/deposits", new { amount = "1" })).JsonAsync(HttpStatusCode.Created);
    }
}
