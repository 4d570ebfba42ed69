using System.Net;
using System.Text.Json;
using Gstd.GatewayTests.Tasks;
using Gstd.Testing;
using static Gstd.GatewayTests.Tasks.ClientSteps;

namespace Gstd.GatewayTests.Analytics;

/// <summary>The dashboard's spend chart reads what the client's money did: held in escrow, spent on work, refunded.</summary>
public sealed class SpendHttpTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Held_spent_and_refunded_money_lands_in_aligned_buckets_and_only_the_callers()
    {
        var (client, moduleId) = await ClientWithModuleAsync(gateway, "10");
        // Each task holds 0.525 (price 0.5 and a 5 % fee): one cancelled, one accepted, one still queued.
        await CancelAsync(client, await SubmitAsync(client, moduleId));
        string accepted;
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            accepted = await SubmitAsync(client, moduleId);
            await agent.CompleteAsync(accepted, "echo:hi"u8.ToArray());
        }

        await Eventually.Until(async () => (await (await client.GetAsync($"/api/tasks/{accepted}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString(),
            s => s == "Completed", Patience, "the task to complete");
        await (await client.PostJsonAsync($"/api/tasks/{accepted}/accept", new { })).JsonAsync(HttpStatusCode.OK);
        await SubmitAsync(client, moduleId);

        var now = DateTimeOffset.UtcNow;
        var buckets = await SpendAsync(client, $"from={Iso(now.AddHours(-1))}&to={Iso(now.AddHours(1))}&bucket=hour");
        var starts = buckets.Select(b => b.GetProperty("start").GetDateTimeOffset()).ToList();
        Assert.InRange(starts.Count, 2, 3);
        Assert.All(starts, s => Assert.Equal((0, 0, 0, TimeSpan.Zero), (s.Minute, s.Second, s.Millisecond, s.Offset)));
        Assert.Equal(starts.Order(), starts);
        Assert.Equal(("0.525", "0.525", "1.575"), (Sum(buckets, "spent"), Sum(buckets, "refunded"), Sum(buckets, "held")));

        // Nothing of it shows to another client.
        var (other, _) = await ClientWithModuleAsync(gateway, "1");
        var theirs = await SpendAsync(other, $"from={Iso(now.AddHours(-1))}&to={Iso(now.AddHours(1))}&bucket=hour");
        Assert.Equal(("0", "0", "0"), (Sum(theirs, "spent"), Sum(theirs, "refunded"), Sum(theirs, "held")));
    }

    [Fact]
    public async Task Without_a_range_it_answers_the_last_day_by_hour()
    {
        var (client, _) = await ClientWithModuleAsync(gateway, "1");
        var buckets = await SpendAsync(client, "");
        Assert.InRange(buckets.Count, 24, 25);
        Assert.All(buckets, b => Assert.Equal("0", b.GetProperty("held").GetString()));
    }

    [Theory]
    [InlineData("bucket=week", "bucket")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&bucket=minute", "from")]
    public async Task A_bad_range_or_bucket_is_a_validation_problem(string query, string field)
    {
        var (client, _) = await ClientWithModuleAsync(gateway, "1");
        var problem = await (await client.GetAsync($"/api/analytics/spend?{query}")).ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    private static async Task<List<JsonElement>> SpendAsync(HttpClient client, string query) =>
        (await (await client.GetAsync($"/api/analytics/spend?{query}")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();

    private static string Sum(IEnumerable<JsonElement> buckets, string field) =>
        Money.Money.Format(buckets.Sum(b => Money.Money.TryParse(b.GetProperty(field).GetString(), out var nano) ? nano : throw new FormatException(field)));

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private static async Task<string> SubmitAsync(HttpClient client, string moduleId) =>
        (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Convert.ToBase64String("hi"u8), price = "0.5", reviewSeconds = 3_600 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
}
