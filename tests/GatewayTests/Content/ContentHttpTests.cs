using System.Net;
using System.Net.Http.Headers;
using Gstd.Testing;

namespace Gstd.GatewayTests.Content;

public sealed class ContentHttpTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("echo")]
    [InlineData("infinite-loop")]
    [InlineData("memory-bomb")]
    [InlineData("deep-recursion")]
    [InlineData("endless-writer")]
    [InlineData("trap")]
    [InlineData("sleeper")]
    [InlineData("huge-memory")]
    public async Task Valid_commands_are_stored_by_content_and_read_back_by_their_uploader(string name)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var module = TestModules.Wasm(name);

        var created = await (await UploadAsync(client, "/api/modules", module, "application/wasm")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(TestModules.IdOf(module), created.GetProperty("id").GetString());
        Assert.Equal(module.Length, created.GetProperty("size").GetInt32());

        var again = await (await UploadAsync(client, "/api/modules", module, "application/wasm")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        var download = await client.GetAsync($"/api/modules/{created.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/wasm", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(module, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("foreign-import", "env.now")]
    [InlineData("socket-import", "sock_accept")]
    [InlineData("no-start", "_start")]
    public async Task Modules_outside_the_rules_are_refused_as_invalid(string name, string reason)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var module = TestModules.Wasm(name);
        var problem = await (await UploadAsync(client, "/api/modules", module, "application/wasm")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_module");
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await client.GetAsync($"/api/modules/{TestModules.IdOf(module)}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Bytes_that_are_not_webassembly_are_refused_as_invalid()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        await (await UploadAsync(client, "/api/modules", "#!/bin/sh\nrm -rf /"u8.ToArray(), "application/wasm")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_module");
        await (await UploadAsync(client, "/api/modules", [], "application/wasm")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_module");
    }

    [Fact]
    public async Task Uploads_over_the_limit_are_refused()
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        var limits = await (await gateway.Client().GetAsync("/api/limits")).JsonAsync(HttpStatusCode.OK);
        var tooBig = new byte[limits.GetProperty("maxModuleBytes").GetInt32() + 1];
        await (await UploadAsync(client, "/api/modules", tooBig, "application/wasm")).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Content_is_private_to_its_uploaders_and_admins()
    {
        var (_, aliceKey) = await gateway.SignUpAsync("client");
        var (_, bobKey) = await gateway.SignUpAsync("client");
        using var alice = gateway.Client(aliceKey);
        using var bob = gateway.Client(bobKey);
        using var admin = gateway.Client(gateway.AdminKey);
        var secret = System.Text.Encoding.UTF8.GetBytes("alice's input " + Guid.NewGuid());
        var id = (await (await UploadAsync(alice, "/api/blobs", secret, "application/octet-stream")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        await (await bob.GetAsync($"/api/blobs/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(secret, await (await alice.GetAsync($"/api/blobs/{id}")).Content.ReadAsByteArrayAsync());
        Assert.Equal(secret, await (await admin.GetAsync($"/api/blobs/{id}")).Content.ReadAsByteArrayAsync());

        // Uploading the same bytes is how bob gets his own grant: the content is stored once.
        await (await UploadAsync(bob, "/api/blobs", secret, "application/octet-stream")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(secret, await (await bob.GetAsync($"/api/blobs/{id}")).Content.ReadAsByteArrayAsync());
        await (await alice.GetAsync($"/api/modules/{id}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("sha256:XYZ")]
    [InlineData("not-an-id")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Unknown_or_malformed_ids_are_not_found(string id)
    {
        var (_, key) = await gateway.SignUpAsync("client");
        using var client = gateway.Client(key);
        await (await client.GetAsync($"/api/blobs/{Uri.EscapeDataString(id)}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Limits_are_public()
    {
        var limits = await (await gateway.Client().GetAsync("/api/limits")).JsonAsync(HttpStatusCode.OK);
        Assert.True(limits.GetProperty("maxModuleBytes").GetInt32() > 0);
        Assert.True(limits.GetProperty("maxBlobBytes").GetInt32() >= limits.GetProperty("maxInlineInputBytes").GetInt32());
        Assert.True(limits.GetProperty("maxOutputBytes").GetInt32() > 0);
        Assert.Equal(10, limits.GetProperty("maxOpenDisputes").GetInt32());
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync(new Uri(path, UriKind.Relative), content);
    }
}
