using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Gstd.GatewayTests.Security;

public sealed class OpenApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_served_document_describes_every_api_endpoint()
    {
        using var anonymous = gateway.Client();
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");

        var endpoints = gateway.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Method: m)))
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var (path, method) in endpoints)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document.");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the OpenAPI document.");
            Assert.True(operation.TryGetProperty("responses", out _), $"{method} {path} documents no responses.");
        }
    }

    [Fact]
    public async Task Metrics_are_scraped_by_admins_as_prometheus_text_with_the_sentinels_findings()
    {
        using var admin = gateway.Client(gateway.AdminKey);
        await (await admin.GetAsync("/api/admin/audit")).JsonAsync(HttpStatusCode.OK);

        // Metrics say how the platform is doing: only an admin's key may read them.
        using var anonymous = gateway.Client();
        await (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var response = await admin.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var violations = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.StartsWith("gstd_audit_violations{", StringComparison.Ordinal)).ToList();
        foreach (var check in new[] { "journal_unbalanced", "terminal_holding_escrow", "without_deadline", "overdue", "stale_outbox", "silent_workers" })
        {
            Assert.Single(violations, line => line.Contains($"check=\"{check}\"", StringComparison.Ordinal));
        }
    }
}
