using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Gstd.Testing;

/// <summary>
/// A real silo process (<c>dotnet Gstd.Silo.dll</c>) on loopback ports of its own, as an operator runs it.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <param name="samePortsAs">A silo whose ports this one takes over, as a restart on the same machine does.</param>
    public SiloProcess(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null, SiloProcess? samePortsAs = null, string environment = "Production")
    {
        Environment = environment;
        ConnectionString = connectionString;
        ClusterId = clusterId;
        Settings = settings ?? new Dictionary<string, string>();
        HttpPort = samePortsAs?.HttpPort ?? FreePorts.Next();
        SiloPort = samePortsAs?.SiloPort ?? FreePorts.Next();
        GatewayPort = samePortsAs?.GatewayPort ?? FreePorts.Next();
    }

    public string ConnectionString { get; }

    public string Environment { get; }

    public string ClusterId { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built silo executable next to the source tree, in the configuration the tests were built in.</summary>
    public static string ExecutablePath => BuiltExecutable("Silo", "Gstd.Silo.dll");

    /// <summary>An executable of <c>src/{project}</c>, built in the configuration the tests were built in.</summary>
    public static string BuiltExecutable(string project, string dll)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(Repository.Root, "src", project, "bin", configuration, testBin.Name, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first.", path);
    }

    /// <summary>Runs <c>Gstd.Silo migrate</c> to completion and answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> MigrateAsync(string connectionString, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var start = Start(["migrate"], connectionString, "Production", output);
        using var cts = new CancellationTokenSource(timeout);
        await start.WaitForExitAsync(cts.Token);
        return (start.ExitCode, output.ToString());
    }

    public void Start()
    {
        var args = new List<string>
        {
            "--urls", BaseAddress.ToString().TrimEnd('/'),
            "--Orleans:ClusterId", ClusterId,
            "--Orleans:SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in Settings)
        {
            args.Add("--" + key);
            args.Add(value);
        }

        _process = Start(args, ConnectionString, Environment, _output);
    }

    /// <summary>Waits until the silo answers ready: PostgreSQL reachable and an Active cluster member.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(async () =>
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException("The silo exited: " + Output);
            }

            try
            {
                return (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the probe's 5 s: not ready yet.
                return false;
            }
        }, timeout, $"silo {SiloPort} to be ready");
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: the process dies at once, telling the cluster nothing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: the host shuts down gracefully and leaves the cluster.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false })
        {
            _ = Kill(_process.Id, SigTerm);
            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token);
        }
    }

    public int? ExitCode => _process is { HasExited: true } ? _process.ExitCode : null;

    /// <summary>The running process (for its memory and CPU), or null before <see cref="Start"/>.</summary>
    public int? ProcessId => _process?.Id;

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private static Process Start(IEnumerable<string> args, string connectionString, string environment, StringBuilder output) =>
        StartDotnet(ExecutablePath, args, new Dictionary<string, string>
        {
            ["ConnectionStrings__Gstd"] = connectionString,
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DOTNET_gcServer"] = "0",
        }, output);

    /// <summary>Starts <c>dotnet DLL args</c> with the given environment, collecting its output.</summary>
    public static Process StartDotnet(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, StringBuilder output)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
