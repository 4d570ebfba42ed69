using Gstd.Client;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// The admin arbitration page in a real headless Chromium (driven by ClientApp/browser-tests/arbitration.mjs)
/// against a real silo that serves the web app, with a real agent that did the work.
/// </summary>
public sealed class ArbitrationPageTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private SiloProcess _silo = null!;
    private WorkerProcess? _agent;
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-arbitration-").FullName;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _silo = new SiloProcess(_db.ConnectionString, "arbitration-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string> { ["Gstd:SelfServiceWorkers"] = "true", ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key") },
            environment: "Development");
        _silo.Start();
        await _silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        await _silo.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task An_admin_splits_an_other_claim_in_the_page_and_both_balances_change_once()
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        using var client = new GstdClient(_silo.BaseAddress, (await anonymous.SignUpAsync("client", "client")).GetProperty("apiKey").GetString());
        await client.DepositAsync("10");
        var moduleId = await client.UploadModuleAsync(TestModules.Wasm("echo"));
        var workerKey = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        // A located worker: the page shows the cell of each attempt.
        _agent = new WorkerProcess(_silo.BaseAddress, workerKey, "honest", 1, _keys, 52.37, 4.90);
        _agent.Start();

        var taskId = (await client.SubmitTaskAsync(moduleId, "hi"u8.ToArray(), "0.5", new { reviewSeconds = 3_600 })).GetProperty("id").GetString()!;
        await Eventually.Until(() => client.GetTaskAsync(taskId), t => t.GetProperty("status").GetString() == "Completed", TimeSpan.FromSeconds(60), "the task to complete");
        // Hostile details must reach the admin as text.
        var dispute = await client.OpenDisputeAsync(taskId, "other", "<img src=x onerror=alert(1)> It took far too long.");
        var disputeId = dispute.GetProperty("id").GetString()!;
        Assert.Equal("AwaitingArbitration", dispute.GetProperty("status").GetString());
        using var worker = new GstdClient(_silo.BaseAddress, workerKey);
        Assert.Equal(("9.475", "0.525"), await BalanceAsync(client));
        Assert.Equal(("0", "0"), await BalanceAsync(worker));

        var adminKey = (await File.ReadAllTextAsync(Path.Combine(_keys, "admin.key"))).Trim();
        var (exitCode, output) = await RunPageAsync(adminKey, disputeId, "0.3", "Slow but right: 30 % to the worker.");
        Assert.True(exitCode == 0, output);
        Assert.Contains("arbitration page: ok", output);

        using var admin = new GstdClient(_silo.BaseAddress, adminKey);
        var decided = await client.GetDisputeAsync(disputeId);
        Assert.Equal(("Resolved", "split", 0.3), (decided.GetProperty("status").GetString(), decided.GetProperty("outcome").GetString(), decided.GetProperty("workerShare").GetDouble()));
        Assert.Equal((await admin.GetMeAsync()).GetProperty("id").GetString(), decided.GetProperty("decision").GetProperty("by").GetString());
        Assert.Equal("Slow but right: 30 % to the worker.", decided.GetProperty("decision").GetProperty("note").GetString());

        // 0.3 of the price to the worker and of the fee to the platform; the client gets back 0.525 - 0.15 - 0.0075.
        await Eventually.Until(() => client.GetTaskAsync(taskId), t => t.GetProperty("status").GetString() == "Settled", TimeSpan.FromSeconds(30), "the split to be paid");
        Assert.Equal(("9.8425", "0"), await BalanceAsync(client));
        Assert.Equal(("0.15", "0"), await BalanceAsync(worker));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM ledger_transfers WHERE task_id = '{taskId}' AND kind IN ('decision', 'release', 'refund')"));
    }

    private static async Task<(string Available, string Escrow)> BalanceAsync(GstdClient account)
    {
        var balance = (await account.GetMeAsync()).GetProperty("balance");
        return (balance.GetProperty("available").GetString()!, balance.GetProperty("escrow").GetString()!);
    }

    private Task<(int ExitCode, string Output)> RunPageAsync(string adminKey, string disputeId, string share, string note) =>
        BrowserScript.RunAsync("arbitration.mjs", new Dictionary<string, string>
        {
            ["GSTD_URL"] = _silo.BaseAddress.ToString().TrimEnd('/'),
            ["GSTD_ADMIN_KEY"] = adminKey,
            ["GSTD_DISPUTE_ID"] = disputeId,
            ["GSTD_WORKER_SHARE"] = share,
            ["GSTD_NOTE"] = note,
            ["GSTD_SCREENSHOT"] = Path.Combine(BrowserScript.ScreenshotDirectory("arbitration"), "failure.png"),
        }, TimeSpan.FromSeconds(120));

    private async Task<long> ScalarAsync(string sql)
    {
        await using var cmd = _db.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
