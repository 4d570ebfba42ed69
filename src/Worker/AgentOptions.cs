using System.Globalization;

namespace Gstd.Worker;

/// <summary>
/// The agent's command line: <c>--server URL[,URL...] --api-key KEY [--capacity N] [--lat --lon] [--name] [--agents N] [--key-dir DIR]</c>.
/// Several servers are silos of one cluster: the agent moves to the next one whenever its connection drops.
/// </summary>
public sealed record AgentOptions(IReadOnlyList<Uri> Servers, string ApiKey, int Capacity, double? Lat, double? Lon, string Name, int Agents, string KeyDirectory)
{
    public const string Usage = "usage: Gstd.Worker --server URL[,URL...] --api-key KEY [--capacity N] [--lat DEG --lon DEG] [--name NAME] [--agents N] [--key-dir DIR]";

    public static AgentOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--option value' at '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var unknown = values.Keys.Except(["server", "api-key", "capacity", "lat", "lon", "name", "agents", "key-dir"]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{unknown[0]}.");
        }

        if (!values.TryGetValue("server", out var server))
        {
            throw new ArgumentException("--server must be the GSTD URL, such as http://127.0.0.1:5080.");
        }

        var servers = server.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(text =>
            Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new ArgumentException($"--server: '{text}' is not a GSTD URL such as http://127.0.0.1:5080.")).ToList();
        if (servers.Count == 0)
        {
            throw new ArgumentException("--server must be the GSTD URL, such as http://127.0.0.1:5080.");
        }

        if (!values.TryGetValue("api-key", out var key))
        {
            throw new ArgumentException("--api-key is required (a worker-scoped key of an approved worker account).");
        }

        var name = values.GetValueOrDefault("name", Environment.MachineName);
        return new AgentOptions(
            servers, key,
            Number("capacity", 2, 1, 64),
            values.TryGetValue("lat", out var lat) ? double.Parse(lat, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("lon", out var lon) ? double.Parse(lon, CultureInfo.InvariantCulture) : null,
            name,
            Number("agents", 1, 1, 64),
            values.GetValueOrDefault("key-dir", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gstd", "worker-keys")));

        int Number(string option, int fallback, int min, int max)
        {
            if (!values.TryGetValue(option, out var text))
            {
                return fallback;
            }

            var value = int.Parse(text, CultureInfo.InvariantCulture);
            return value < min || value > max ? throw new ArgumentException($"--{option} must be between {min} and {max}.") : value;
        }
    }
}
