using System.Diagnostics;
using System.Text;

namespace Gstd.Testing;

/// <summary>A real worker agent process (<c>dotnet Gstd.Worker.dll</c>), as an operator runs it.</summary>
/// <param name="servers">The silos it may connect to, first one first.</param>
/// <param name="agents">How many logical workers the process runs.</param>
public sealed class WorkerProcess(
    IReadOnlyList<Uri> servers, string apiKey, string name, int capacity, string keyDirectory, double? lat = null, double? lon = null, int agents = 1) : IAsyncDisposable
{
    public WorkerProcess(Uri server, string apiKey, string name, int capacity, string keyDirectory, double? lat = null, double? lon = null)
        : this([server], apiKey, name, capacity, keyDirectory, lat, lon)
    {
    }

    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Name { get; } = name;

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

    public void Start()
    {
        var args = new List<string>
        {
            "--server", string.Join(',', servers), "--api-key", apiKey, "--name", Name,
            "--capacity", capacity.ToString(System.Globalization.CultureInfo.InvariantCulture), "--key-dir", keyDirectory,
            "--agents", agents.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (lat is not null && lon is not null)
        {
            args.AddRange(["--lat", lat.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--lon", lon.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        _process = SiloProcess.StartDotnet(SiloProcess.BuiltExecutable("Worker", "Gstd.Worker.dll"), args,
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }, _output);
    }

    /// <summary>SIGKILL: the agent vanishes mid-work without a word to the server.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
