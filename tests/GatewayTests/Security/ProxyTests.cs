using System.Net;
using System.Text;
using System.Text.Json;
using Gstd.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.GatewayTests.Security;

/// <summary>
/// A gateway behind one trusted proxy, with limits per client address small enough to reach. The test server has no
/// network peer, so a test names the peer a request comes from in <see cref="PeerHeader"/>.
/// </summary>
public sealed class ProxiedGateway : GatewayFixture
{
    public const string PeerHeader = "X-Test-Peer";
    public static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.10");

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gstd:TrustedProxies:0"] = Proxy.ToString(),
        ["Gstd:AccountCreationsPerHour"] = "2",
        ["Gstd:FailedKeyChecksPerMinute"] = "3",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddTransient<IStartupFilter, PeerFromHeader>();

    /// <summary>Runs before the gateway's own middleware, as the connection's peer address is known before any of it.</summary>
    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Limits per client address count the real client: forwarded only by a trusted proxy, never by anyone who says so.</summary>
public sealed class ProxyTests(ProxiedGateway gateway) : IClassFixture<ProxiedGateway>
{
    [Fact]
    public async Task Clients_behind_the_trusted_proxy_have_sign_up_limits_of_their_own()
    {
        // Documentation addresses (TEST-NET): these requests never leave the test server.
        Assert.Equal([201, 201, 429], await SignUpsAsync(ProxiedGateway.Proxy, "192.0.2.1", 3));
        Assert.Equal([201, 201], await SignUpsAsync(ProxiedGateway.Proxy, "192.0.2.2", 2));
    }

    [Fact]
    public async Task A_caller_that_is_not_the_proxy_cannot_choose_its_address_with_a_header()
    {
        var caller = IPAddress.Parse("127.0.0.20");
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            // Each request claims another address; the limit still counts the caller's own.
            statuses.AddRange(await SignUpsAsync(caller, $"198.51.100.{i + 1}", 1));
        }

        Assert.Equal([201, 201, 429], statuses);
    }

    [Fact]
    public async Task An_address_guessing_keys_is_refused_before_its_guesses_are_looked_up_while_other_addresses_go_on()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var guesser = IPAddress.Parse("127.0.0.30");
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await GetMeAsync(guesser, ApiKey.Generate().Key)).StatusCode);
        }

        Assert.Equal([401, 401, 401, 429, 429], statuses);
        var refused = await GetMeAsync(guesser, key);
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("rate_limited", JsonDocument.Parse(refused.Body).RootElement.GetProperty("code").GetString());
        Assert.Equal(200, (await GetMeAsync(IPAddress.Parse("127.0.0.31"), key)).StatusCode);
    }

    private async Task<List<int>> SignUpsAsync(IPAddress peer, string forwardedFor, int count)
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/accounts", UriKind.Relative))
            {
                Content = new StringContent("""{"name":"proxied","roles":["client"]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(ProxiedGateway.PeerHeader, peer.ToString());
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var client = gateway.Client();
            statuses.Add((int)(await client.SendAsync(request)).StatusCode);
        }

        return statuses;
    }

    private async Task<(int StatusCode, string Body)> GetMeAsync(IPAddress peer, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/accounts/me", UriKind.Relative));
        request.Headers.Add(ProxiedGateway.PeerHeader, peer.ToString());
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var client = gateway.Client();
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
