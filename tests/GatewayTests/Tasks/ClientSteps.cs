using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gstd.Testing;

namespace Gstd.GatewayTests.Tasks;

/// <summary>What a client does over HTTP in many tests: sign up with funds and the echo module, cancel, check its balance.</summary>
public static class ClientSteps
{
    public static async Task<(HttpClient Client, string ModuleId)> ClientWithModuleAsync(GatewayFixture gateway, string deposit)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        var client = gateway.Client(key);
        await (await client.PostJsonAsync("/api/accounts/me/deposits", new { amount = deposit })).JsonAsync(HttpStatusCode.Created);
        var module = new ByteArrayContent(TestModules.Wasm("echo"));
        module.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var uploaded = await client.PostAsync(new Uri("/api/modules", UriKind.Relative), module);
        return (client, (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    public static async Task CancelAsync(HttpClient client, string taskId) =>
        Assert.Equal("Cancelled", (await (await client.PostJsonAsync($"/api/tasks/{taskId}/cancel", new { })).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

    public static async Task AssertBalanceAsync(HttpClient client, string available, string escrow)
    {
        var me = await (await client.GetAsync("/api/accounts/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((available, escrow), (me.GetProperty("balance").GetProperty("available").GetString(), me.GetProperty("balance").GetProperty("escrow").GetString()));
    }
}
