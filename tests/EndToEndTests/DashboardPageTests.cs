using Gstd.Client;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// The client web app in a real headless Chromium (ClientApp/browser-tests/dashboard.mjs) against a real silo, with a
/// located worker holding each task long enough to be seen running: submit, watch, accept, cancel, and every page
/// photographed at desktop and phone sizes.
/// </summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private readonly string _keys = Directory.CreateTempSubdirectory("gstd-dashboard-").FullName;
    private TestDatabase _db = null!;
    private SiloProcess _silo = null!;
    private ScriptedWorker? _worker;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateEmptyDatabaseAsync();
        _silo = new SiloProcess(_db.ConnectionString, "dashboard-" + Guid.NewGuid().ToString("N")[..8],
            new Dictionary<string, string>
            {
                ["Gstd:SelfServiceWorkers"] = "true",
                ["Gstd:AdminKeyFile"] = Path.Combine(_keys, "admin.key"),
                ["Gstd:Map:MinWorkersPerCell"] = "1",
            },
            environment: "Development");
        _silo.Start();
        await _silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await _silo.DisposeAsync();
        await _db.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task A_client_submits_watches_accepts_and_cancels_in_the_browser_and_every_page_renders_at_both_sizes()
    {
        using var anonymous = new GstdClient(_silo.BaseAddress);
        var clientKey = (await anonymous.SignUpAsync("client", "client")).GetProperty("apiKey").GetString()!;
        using (var client = new GstdClient(_silo.BaseAddress, clientKey))
        {
            await client.DepositAsync("10");
        }

        var operatorKey = (await anonymous.SignUpAsync("operator", "worker")).GetProperty("apiKey").GetString()!;
        // Each task is held 8 s, long enough for the page to show it running on the map and to cancel it.
        _worker = await ScriptedWorker.StartAsync(_silo.BaseAddress, operatorKey, "amsterdam", ScriptedWorker.Echo, location: (52.37, 4.90), hold: TimeSpan.FromSeconds(8));
        var module = Path.Combine(_keys, "echo.wasm");
        await File.WriteAllBytesAsync(module, TestModules.Wasm("echo"));
        var shots = BrowserScript.ScreenshotDirectory("dashboard");

        var (exitCode, output) = await BrowserScript.RunAsync("dashboard.mjs", new Dictionary<string, string>
        {
            ["GSTD_URL"] = _silo.BaseAddress.ToString().TrimEnd('/'),
            ["GSTD_CLIENT_KEY"] = clientKey,
            ["GSTD_OPERATOR_KEY"] = operatorKey,
            ["GSTD_ADMIN_KEY"] = (await File.ReadAllTextAsync(Path.Combine(_keys, "admin.key"))).Trim(),
            ["GSTD_MODULE_PATH"] = module,
            ["GSTD_SHOTS"] = shots,
            ["GSTD_SCREENSHOT"] = Path.Combine(shots, "failure.png"),
        }, TimeSpan.FromMinutes(4));

        Assert.True(exitCode == 0, output);
        Assert.Contains("dashboard pages: ok", output);
        foreach (var page in new[] { "sign-in", "dashboard", "tasks", "task-drawer", "submit", "workers", "worker", "arbitration", "dispute" })
        {
            Assert.True(File.Exists(Path.Combine(shots, $"{page}-desktop.png")) && File.Exists(Path.Combine(shots, $"{page}-phone.png")), $"no screenshots of {page}");
        }
    }
}
