using System.Net;
using System.Text.Json;

namespace Gstd.GatewayTests.Tasks;

/// <summary>A gateway whose pages of dead letters hold 6 KiB of JSON: two dead letters with long errors do not fit one.</summary>
public sealed class SmallPagesGateway : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Gstd:MaxPageBytes"] = "6144" };
}

/// <summary>Dead-letter pages are bounded in bytes, not only in items, and their cursors still visit every item once.</summary>
public sealed class DeadLetterPageTests(SmallPagesGateway gateway) : IClassFixture<SmallPagesGateway>
{
    [Fact]
    public async Task A_page_of_dead_letters_is_cut_by_bytes_and_its_cursor_leads_to_the_rest_once_each()
    {
        var (client, moduleId) = await ClientSteps.ClientWithModuleAsync(gateway, "10");
        var ids = new List<string>();
        await using (var agent = await SocketAgent.ConnectAsync(gateway))
        {
            for (var i = 0; i < 3; i++)
            {
                ids.Add(await SubmitAsync(client, moduleId));
                // A worker's message is kept to 1 KiB however long it is: this one is cut.
                await agent.FailAsync(ids[^1], "trap", new string('m', 3_000));
            }
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync("/api/dead-letters?limit=50" + (cursor is null ? "" : "&cursor=" + cursor))).JsonAsync(HttpStatusCode.OK);
            Assert.All(Items(page), t => Assert.Equal(1024, t.GetProperty("attempts")[0].GetProperty("error").GetProperty("message").GetString()!.Length));
            // The worker's message is stored once, on its attempt, not again in the task's reason and history.
            Assert.All(Items(page), t => Assert.Single(System.Text.RegularExpressions.Regex.Matches(t.GetRawText(), new string('m', 1024))));
            seen.AddRange(Ids(page));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
        Assert.True(pages > 1, "Three dead letters with 1 KiB errors do not fit in 6 KiB of JSON.");
    }

    private static async Task<string> SubmitAsync(HttpClient client, string moduleId) =>
        (await (await client.PostJsonAsync("/api/tasks", new { moduleId, input = Convert.ToBase64String(Guid.NewGuid().ToByteArray()), price = "0.5", maxAttempts = 1 }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private static List<string> Ids(JsonElement page) => Items(page).Select(t => t.GetProperty("id").GetString()!).ToList();
}
