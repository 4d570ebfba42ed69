using System.Diagnostics;
using System.Text;

namespace Gstd.Testing;

/// <summary>Runs one of the web app's browser scripts (ClientApp/browser-tests, Node driving Chromium).</summary>
public static class BrowserScript
{
    private static string ClientApp => Path.Combine(Repository.Root, "src", "Gateway", "ClientApp");

    /// <summary>Where the browser tests leave their screenshots: the test results when test.sh says where, else beside the tests.</summary>
    public static string ScreenshotDirectory(string name) =>
        Path.Combine(Environment.GetEnvironmentVariable("GSTD_SCREENSHOTS") is { Length: > 0 } root ? root : Path.Combine(AppContext.BaseDirectory, "screenshots"), name);

    /// <summary>The script's exit code and everything it printed, stdout then stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node", Path.Combine("browser-tests", script))
        {
            WorkingDirectory = ClientApp,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout.TotalSeconds:0} s: {await stdout}{await stderr}");
        }

        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }
}
