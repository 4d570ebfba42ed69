using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.GatewayTests.Security;

/// <summary>
/// Every endpoint the silo maps, called as every kind of caller. The table below is the authorization
/// contract; an endpoint missing from it fails the test, so no endpoint ships without a row.
/// </summary>
public sealed class AuthorizationMatrixTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    public enum Access
    {
        Anonymous,
        AnyKey,
        FullKey,
        Client,
        Worker,
        Admin,
    }

    public enum Caller
    {
        NoKey,
        UnknownKey,
        WorkerScopedKey,
        WorkerAccount,
        ClientAccount,
        AdminAccount,
    }

    private static readonly Dictionary<string, Access> Contract = new()
    {
        ["POST /api/accounts"] = Access.Anonymous,
        ["GET /api/accounts/me"] = Access.AnyKey,
        ["GET /api/accounts/me/keys"] = Access.FullKey,
        ["POST /api/accounts/me/keys"] = Access.FullKey,
        ["DELETE /api/accounts/me/keys/{keyId}"] = Access.FullKey,
        ["POST /api/accounts/me/deposits"] = Access.FullKey,
        ["POST /api/admin/accounts/{id}/approve-worker"] = Access.Admin,
        ["POST /api/admin/accounts/{id}/disable"] = Access.Admin,
        ["POST /api/admin/accounts/{id}/deposits"] = Access.Admin,
        ["GET /api/ledger/entries"] = Access.AnyKey,
        ["GET /api/analytics/spend"] = Access.Client,
        ["POST /api/modules"] = Access.Client,
        ["GET /api/modules/{id}"] = Access.AnyKey,
        ["POST /api/blobs"] = Access.Client,
        ["GET /api/blobs/{id}"] = Access.AnyKey,
        ["GET /api/limits"] = Access.Anonymous,
        ["POST /api/tasks"] = Access.Client,
        ["GET /api/tasks"] = Access.Client,
        ["GET /api/tasks/{id}"] = Access.AnyKey,
        ["POST /api/tasks/{id}/cancel"] = Access.Client,
        ["POST /api/tasks/{id}/accept"] = Access.Client,
        ["POST /api/tasks/{id}/redrive"] = Access.FullKey,
        ["POST /api/admin/tasks/{id}/retry-now"] = Access.Admin,
        ["GET /api/dead-letters"] = Access.Client,
        ["GET /api/admin/dead-letters"] = Access.Admin,
        ["POST /api/admin/dead-letters/redrive"] = Access.Admin,
        ["POST /api/tasks/{id}/disputes"] = Access.Client,
        ["GET /api/disputes"] = Access.AnyKey,
        ["GET /api/disputes/{id}"] = Access.AnyKey,
        ["GET /api/admin/disputes"] = Access.Admin,
        ["POST /api/admin/disputes/{id}/decision"] = Access.Admin,
        ["GET /api/admin/audit"] = Access.Admin,
        ["POST /api/workers"] = Access.Worker,
        ["GET /api/workers"] = Access.AnyKey,
        ["GET /api/workers/{id}"] = Access.AnyKey,
        ["PATCH /api/workers/{id}"] = Access.Worker,
        ["POST /api/admin/workers/{id}/suspend"] = Access.Admin,
        ["POST /api/admin/workers/{id}/resume"] = Access.Admin,
        ["POST /api/realtime/tickets"] = Access.AnyKey,
        ["GET /ws"] = Access.Anonymous,
        ["GET /api/network/map"] = Access.Anonymous,
        ["GET /openapi/{documentName}.json"] = Access.Anonymous,
        ["GET /health/live"] = Access.Anonymous,
        ["GET /health/ready"] = Access.Anonymous,
        // Scraped by Prometheus like the health checks; it names no account and no secret.
        ["GET /metrics"] = Access.Admin,
    };

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_contract_says()
    {
        var endpoints = MappedEndpoints();
        var missing = endpoints.Where(e => !Contract.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "Endpoints without an authorization row: " + string.Join(", ", missing));
        var stale = Contract.Keys.Where(k => !endpoints.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints that no longer exist: " + string.Join(", ", stale));

        var callers = await CallersAsync();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var (caller, (accountId, key)) in callers)
            {
                var status = await CallAsync(endpoint, accountId, key);
                var expected = Expected(Contract[endpoint], caller);
                var ok = expected switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => status == expected,
                    _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
                };
                if (!ok)
                {
                    failures.Add($"{endpoint} as {caller}: expected {(expected == HttpStatusCode.OK ? "access" : expected.ToString())}, got {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// 401 before 403: a missing or bad key is unauthorized whatever the endpoint needs. Only the worker
    /// account is an approved worker; the client account's worker role is still pending.
    /// </summary>
    private static HttpStatusCode Expected(Access access, Caller caller) => (access, caller) switch
    {
        (Access.Anonymous, _) => HttpStatusCode.OK,
        (_, Caller.NoKey or Caller.UnknownKey) => HttpStatusCode.Unauthorized,
        (Access.AnyKey, _) => HttpStatusCode.OK,
        (Access.Worker, Caller.WorkerAccount) => HttpStatusCode.OK,
        (_, Caller.WorkerScopedKey) => HttpStatusCode.Forbidden,
        (Access.FullKey, _) => HttpStatusCode.OK,
        (Access.Client, Caller.ClientAccount) => HttpStatusCode.OK,
        (Access.Admin, Caller.AdminAccount) => HttpStatusCode.OK,
        _ => HttpStatusCode.Forbidden,
    };

    private List<string> MappedEndpoints()
    {
        var source = gateway.Factory.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<Dictionary<Caller, (string? AccountId, string? Key)>> CallersAsync()
    {
        var worker = await gateway.SignUpAsync("worker");
        using (var admin = gateway.Client(gateway.AdminKey))
        {
            await (await admin.PostJsonAsync($"/api/admin/accounts/{worker.Id}/approve-worker", new { })).JsonAsync(HttpStatusCode.OK);
        }

        var client = await gateway.SignUpAsync("client", "worker");
        using var owner = gateway.Client(client.Key);
        var scoped = await (await owner.PostJsonAsync("/api/accounts/me/keys", new { scope = "worker" })).JsonAsync(HttpStatusCode.Created);
        return new Dictionary<Caller, (string?, string?)>
        {
            [Caller.NoKey] = (null, null),
            [Caller.UnknownKey] = (null, Gstd.Identity.ApiKey.Generate().Key),
            [Caller.WorkerScopedKey] = (client.Id, scoped.GetProperty("apiKey").GetString()),
            [Caller.WorkerAccount] = worker,
            [Caller.ClientAccount] = client,
            [Caller.AdminAccount] = ("admin", gateway.AdminKey),
        };
    }

    private async Task<HttpStatusCode> CallAsync(string endpoint, string? accountId, string? key)
    {
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        var method = new HttpMethod(endpoint[..space]);
        var path = endpoint[(space + 1)..]
            .Replace("{id}", accountId ?? "acc_unknown", StringComparison.Ordinal)
            .Replace("{keyId}", "key_unknown", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal);
        using var client = gateway.Client(key);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (method == HttpMethod.Post || method == HttpMethod.Patch)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
