using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gstd.Identity;
using Gstd.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.GatewayTests;

/// <summary>
/// The real silo executable (Orleans on PostgreSQL and the gateway) hosted in the test process, in
/// Development so the faucet exists, with a known admin key.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public string AdminKey { get; } = ApiKey.Generate().Key;

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Replaces services of the silo (after its own registrations).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Database = await TestPostgres.CreateDatabaseAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("ConnectionStrings:Gstd", Database.ConnectionString);
            web.UseSetting("Gstd:AdminApiKey", AdminKey);
            web.UseSetting("Orleans:ClusterId", "gateway-tests-" + Guid.NewGuid().ToString("N"));
            web.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:Messaging:ResponseTimeout", "00:00:05");
            web.ConfigureTestServices(ConfigureServices);
            // Test agents sign results of the test's choosing: the platform spot-checks them only where a test asks.
            web.UseSetting("Gstd:Verification:TrustedAfter", "0");
            web.UseSetting("Gstd:Verification:SampleRate", "0");
            foreach (var (key, value) in Settings)
            {
                web.UseSetting(key, value);
            }
        });
        using var client = Factory.CreateClient();
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        ready.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>Signs up a new account the way a user does and answers its id and key.</summary>
    public async Task<(string Id, string Key)> SignUpAsync(params string[] roles)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/accounts", new { name = "user " + Guid.NewGuid().ToString("N")[..6], roles });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetString()!, body.GetProperty("apiKey").GetString()!);
    }
}
