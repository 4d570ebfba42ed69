using System.Text;
using System.Text.Json;
using Gstd.Client;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// A worker that earns trust and then signs forged outputs, against a real silo and honest agent processes:
/// disputes against it are refunded by re-execution until its trust falls below the floor and it gets no more
/// work; honest workers carry on untouched; with three replicas a forged output never reaches the client.
/// </summary>
public sealed class CheatingWorkerTests : IAsyncLifetime
{
    private const double TrustFloor = 0.3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private TestDatabase _db = null!;
    private SiloProcess _silo = null!;
    private readonly List<IAsyncDisposable> _agents = [];
    private readonly List<GstdClient> _clients = [];
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-cheating-").FullName;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _silo = new SiloProcess(_db.ConnectionString, "cheating-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, string>
        {
            ["Gstd:SelfServiceWorkers"] = "true",
            ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key"),
            // Two verified results make an account trusted, and trusted accounts are not sampled: forgeries reach clients.
            ["Gstd:Verification:TrustedAfter"] = "2",
            ["Gstd:Verification:SampleRate"] = "0",
        }, environment: "Development");
        _silo.Start();
        await _silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        _clients.ForEach(c => c.Dispose());
        await _silo.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task Disputes_against_a_cheater_refund_the_client_until_it_gets_no_work_and_replicas_outvote_it()
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        using var client = new GstdClient(_silo.BaseAddress, (await anonymous.SignUpAsync("client", "client")).GetProperty("apiKey").GetString());
        await client.DepositAsync("100");
        var echo = await client.UploadModuleAsync(TestModules.Wasm("echo"));
        var (cheaterOwner, cheaterKey) = await WorkerAccountAsync(anonymous);
        var cheater = await CheatingAgent.StartAsync(_silo.BaseAddress, cheaterKey, honestFirst: 2);
        _agents.Add(cheater);

        // Alone at first, the cheater earns its run of verified results honestly.
        for (var i = 0; i < 2; i++)
        {
            var task = await CompletedAsync(client, echo, $"warm-up {i}");
            Assert.Equal(cheater.WorkerId, WorkerOf(task));
            Assert.Equal($"echo:warm-up {i}", OutputOf(task));
            await client.AcceptTaskAsync(IdOf(task));
        }

        var (honestOwner, honestKey) = await WorkerAccountAsync(anonymous);
        StartHonestAgent(honestKey, "honest-a");

        // Now it forges. Each forgery the client sees and disputes is refunded by re-execution; a lost dispute puts the cheater
        // back under spot checks, which catch the next forgery before the client sees it. Until it drops below the floor.
        var refunded = new List<string>();
        for (var i = 0; (await TrustAsync(cheaterOwner, cheater.WorkerId)) >= TrustFloor; i++)
        {
            Assert.True(i < 40, "The cheater kept its trust through 40 tasks.");
            var task = await CompletedAsync(client, echo, $"job {i}");
            if (WorkerOf(task) != cheater.WorkerId)
            {
                Assert.Equal($"echo:job {i}", OutputOf(task));
                Assert.Equal("Settled", (await client.AcceptTaskAsync(IdOf(task))).GetProperty("status").GetString());
                continue;
            }

            Assert.Equal("echo:forged", OutputOf(task));
            var dispute = await client.OpenDisputeAsync(IdOf(task), "wrong_output", "That is not what echo prints.");
            var resolved = await Eventually.Until(() => client.GetDisputeAsync(dispute.GetProperty("id").GetString()!),
                d => d.GetProperty("status").GetString() == "Resolved", Patience, "the automatic review");
            Assert.Equal("refund", resolved.GetProperty("outcome").GetString());
            await Eventually.Until(() => client.GetTaskAsync(IdOf(task)), t => t.GetProperty("status").GetString() == "Refunded", Patience, "the refund");
            refunded.Add(IdOf(task));
        }

        Assert.NotEmpty(refunded);
        foreach (var caught in cheater.Cheated.Except(refunded))
        {
            var task = await client.GetTaskAsync(caught);
            Assert.Equal(("Settled", "wrong_result"), (task.GetProperty("status").GetString(), task.GetProperty("attempts")[0].GetProperty("error").GetProperty("code").GetString()));
            Assert.NotEqual(cheater.WorkerId, WorkerOf(task));
        }

        var forgeries = cheater.Cheated.Count;

        // Below the floor it is offered nothing more; the honest agent does everything, unharmed.
        for (var i = 0; i < 5; i++)
        {
            var task = await CompletedAsync(client, echo, $"after {i}");
            Assert.All(task.GetProperty("attempts").EnumerateArray(), a => Assert.NotEqual(cheater.WorkerId, a.GetProperty("workerId").GetString()));
            await client.AcceptTaskAsync(IdOf(task));
        }

        Assert.Equal(forgeries, cheater.Cheated.Count);
        // Successes are recorded a moment after they settle (trust may lag, never overstate): wait for them to count.
        var honest = await Eventually.Until(async () => (await honestOwner.ListWorkersAsync()).GetProperty("items")[0],
            w => w.GetProperty("trust").GetDouble() > 0.5, Patience, "the honest worker's successes to raise its trust");
        var history = (await honestOwner.GetWorkerAsync(honest.GetProperty("id").GetString()!)).GetProperty("trustHistory").GetRawText();
        Assert.DoesNotContain("invalid_result", history);
        Assert.DoesNotContain("lost_dispute", history);

        // Three replicas on three accounts, one of them a fresh cheater: the platform outvotes it before the client sees anything.
        var (_, secondKey) = await WorkerAccountAsync(anonymous);
        StartHonestAgent(secondKey, "honest-b");
        var (cheater2Owner, cheater2Key) = await WorkerAccountAsync(anonymous);
        var cheater2 = await CheatingAgent.StartAsync(_silo.BaseAddress, cheater2Key, honestFirst: 0);
        _agents.Add(cheater2);
        var before = await AvailableAsync(client);
        var replicated = (await client.SubmitTaskAsync(echo, "trio"u8.ToArray(), "1", new { replicas = 3, reviewSeconds = 0 })).GetProperty("id").GetString()!;
        var settled = await Eventually.Until(() => client.GetTaskAsync(replicated), t => t.GetProperty("status").GetString() == "Settled", Patience, "the replicated task to settle");

        Assert.Equal("echo:trio", OutputOf(settled));
        Assert.Contains(cheater2.WorkerId, settled.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("workerId").GetString()));
        Assert.Contains(settled.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetString() == "Verifying");
        Assert.Equal("2", settled.GetProperty("escrow").GetProperty("toWorker").GetString());
        // Two prices and the fee of three: the forger's price came back.
        Assert.Equal(before - 2m - 0.15m, await AvailableAsync(client));
        Assert.Equal(0m, await AvailableAsync(cheater2Owner));
    }

    /// <summary>A new worker operator: its client (disposed with the test) and its key.</summary>
    private async Task<(GstdClient Client, string Key)> WorkerAccountAsync(GstdClient anonymous)
    {
        var key = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        var client = new GstdClient(_silo.BaseAddress, key);
        _clients.Add(client);
        return (client, key);
    }

    private void StartHonestAgent(string apiKey, string name)
    {
        var agent = new WorkerProcess(_silo.BaseAddress, apiKey, name, 2, _keys);
        agent.Start();
        _agents.Add(agent);
    }

    private static async Task<JsonElement> CompletedAsync(GstdClient client, string moduleId, string input)
    {
        var id = (await client.SubmitTaskAsync(moduleId, Encoding.UTF8.GetBytes(input), "0.5", new { reviewSeconds = 3_600 })).GetProperty("id").GetString()!;
        return await Eventually.Until(() => client.GetTaskAsync(id), t => t.GetProperty("status").GetString() == "Completed", Patience, $"task '{input}' to complete");
    }

    private static async Task<double> TrustAsync(GstdClient owner, string workerId) => (await owner.GetWorkerAsync(workerId)).GetProperty("trust").GetDouble();

    private static async Task<decimal> AvailableAsync(GstdClient account) =>
        decimal.Parse((await account.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static string IdOf(JsonElement task) => task.GetProperty("id").GetString()!;

    private static string WorkerOf(JsonElement task) => task.GetProperty("result").GetProperty("workerId").GetString()!;

    private static string OutputOf(JsonElement task) => Encoding.UTF8.GetString(Convert.FromBase64String(task.GetProperty("result").GetProperty("output").GetString()!));
}
