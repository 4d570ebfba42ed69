using System.Net;

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
