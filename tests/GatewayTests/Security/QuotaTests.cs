using System.Net;
using System.Text;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;

namespace Gstd.GatewayTests.Security;

/// <summary>Per-account quotas: what one account may park on the platform, refused with a code and nothing changed.</summary>
public sealed class QuotaTests(HostileGateway gateway) : IClassFixture<HostileGateway>
{
    [Fact]
    public async Task A_client_may_keep_only_so_many_tasks_waiting_and_the_refused_one_holds_nothing()
    {
        var (client, moduleId) = await ClientSteps.ClientWithModuleAsync(gateway, "10");
        var limits = await (await client.GetAsync("/api/limits")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HostileGateway.MaxQueuedTasks, limits.GetProperty("maxQueuedTasks").GetInt32());
        // Nobody has full trust: these tasks wait for a worker that never comes.
        var body = new { moduleId, input = Convert.ToBase64String(Encoding.UTF8.GetBytes("hi")), price = "1", minTrust = 1.0 };
        var ids = new List<string>();
        for (var i = 0; i < HostileGateway.MaxQueuedTasks; i++)
        {
            ids.Add((await (await client.PostJsonAsync("/api/tasks", body)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        var refused = await client.PostJsonAsync("/api/tasks", body);
        await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "too_many_queued_tasks");
        Assert.True(refused.Headers.RetryAfter is not null);
        await ClientSteps.AssertBalanceAsync(client, "6.85", "3.15");
        var listed = await (await client.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HostileGateway.MaxQueuedTasks, listed.GetProperty("items").GetArrayLength());

        // A cancelled task frees its place.
        await ClientSteps.CancelAsync(client, ids[0]);
        await (await client.PostJsonAsync("/api/tasks", body)).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Racing_submissions_of_one_client_never_pass_the_limit_together()
    {
        var (client, moduleId) = await ClientSteps.ClientWithModuleAsync(gateway, "10");
        var body = new { moduleId, input = Convert.ToBase64String(Encoding.UTF8.GetBytes("race")), price = "1", minTrust = 1.0 };
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostJsonAsync("/api/tasks", body)));

        Assert.Equal(HostileGateway.MaxQueuedTasks, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        await ClientSteps.AssertBalanceAsync(client, "6.85", "3.15");
    }

    [Fact]
    public async Task The_limits_publish_the_caps_of_the_platforms_own_runs()
    {
        using var anyone = gateway.Client();
        var runs = (await (await anyone.GetAsync("/api/limits")).JsonAsync(HttpStatusCode.OK)).GetProperty("platformRuns");
        Assert.Equal(10_000_000_000, runs.GetProperty("maxFuel").GetInt64());
        Assert.Equal(60, runs.GetProperty("maxSeconds").GetInt32());
        Assert.Equal(256, runs.GetProperty("maxMemoryMb").GetInt32());
        Assert.Equal(64, runs.GetProperty("queuedPerClient").GetInt32());
    }

    [Fact]
    public async Task An_account_may_store_only_its_quota_of_content_and_bytes_it_holds_already_cost_nothing()
    {
        var (client, _) = await ClientSteps.ClientWithModuleAsync(gateway, "1");
        var limits = await (await client.GetAsync("/api/limits")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HostileGateway.StorageQuotaBytes, limits.GetProperty("storageQuotaBytes").GetInt64());
        var first = RandomBlob(5 * 1024);
        var firstId = (await (await UploadAsync(client, first)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        await (await UploadAsync(client, RandomBlob(4 * 1024))).ProblemAsync(HttpStatusCode.Conflict, "storage_quota_exceeded");
        Assert.Equal(firstId, (await (await UploadAsync(client, first)).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString());
        // Another account has a quota of its own.
        var (other, _) = await ClientSteps.ClientWithModuleAsync(gateway, "1");
        await (await UploadAsync(other, RandomBlob(4 * 1024))).JsonAsync(HttpStatusCode.Created);
    }

    private static byte[] RandomBlob(int size) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync(new Uri("/api/blobs", UriKind.Relative), content);
    }
}
