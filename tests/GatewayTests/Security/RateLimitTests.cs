using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Security;

/// <summary>A gateway whose limits are small enough to reach in a test.</summary>
public sealed class TightLimitsGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:RequestsPerMinute"] = "5",
    };
}

/// <summary>A gateway that lets one address create only three accounts an hour.</summary>
public sealed class TightSignUpsGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:AccountCreationsPerHour"] = "3",
    };
}

/// <summary>A gateway that lets an admin make only two bulk redrives a minute.</summary>
public sealed class TightBulkRedrivesGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:BulkRedrivesPerMinute"] = "2",
    };
}

public sealed class RateLimitTests(TightLimitsGateway gateway) : IClassFixture<TightLimitsGateway>
{
    [Fact]
    public async Task Limits_are_kept_per_account_and_answer_with_retry_after()
    {
        var (_, aliceKey) = await gateway.SignUpAsync("client");
        var (_, bobKey) = await gateway.SignUpAsync("client");
        using var alice = gateway.Client(aliceKey);
        using var bob = gateway.Client(bobKey);

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await alice.GetAsync("/api/accounts/me");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        await (await bob.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
    }
}

public sealed class SignUpLimitTests(TightSignUpsGateway gateway) : IClassFixture<TightSignUpsGateway>
{
    [Fact]
    public async Task Sign_ups_from_one_address_are_limited()
    {
        using var anonymous = gateway.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await anonymous.PostJsonAsync("/api/accounts", new { name = "spam", roles = new[] { "client" } })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], statuses.Take(3));
        Assert.All(statuses[3..], s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }
}

public sealed class BulkRedriveLimitTests(TightBulkRedrivesGateway gateway) : IClassFixture<TightBulkRedrivesGateway>
{
    [Fact]
    public async Task Bulk_redrives_over_the_limit_are_refused_and_redrive_nothing()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = "10" })).JsonAsync(HttpStatusCode.Created);
        var module = new ByteArrayContent(TestModules.Wasm("echo"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var moduleId = (await (await client.PostAsync(new Uri("/api/modules", UriKind.Relative), module)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var taskId = (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = "AA==", price = "0.5", maxAttempts = 1 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        string workerId;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            workerId = agent.WorkerId;
            await agent.FailAsync(taskId);
        }

        using var admin = gateway.Client(gateway.AdminKey);
        for (var i = 0; i < 2; i++)
        {
            var none = await (await admin.PostJsonAsync("/api/admin/dead-letters/redrive", new { reason = "no_such_reason" })).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(0, none.GetProperty("matched").GetInt32());
        }

        var limited = await admin.PostJsonAsync("/api/admin/dead-letters/redrive", new { workerId });
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);

        // Nothing was redriven, and the limit is the bulk route's alone.
        var listed = await (await admin.GetAsync($"/api/admin/dead-letters?workerId={workerId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([taskId], listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var me = await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("10", "0"), (me.GetProperty("balance").GetProperty("available").GetString(), me.GetProperty("balance").GetProperty("escrow").GetString()));
        await (await client.PostJsonAsync($"/api/tasks/{taskId}/redrive", new { })).JsonAsync(HttpStatusCode.OK);
    }
}
