using System.Text.Json;
using Gstd.Client;

// What ./run.sh needs beyond the silo and the agents:
//   setup    --server URL --admin-key-file F --credentials F   demo accounts, their keys written and printed
//   workload --server URL --credentials F                      a small continuous workload as the demo client
if (args.Length < 1 || args[0] is not ("setup" or "workload"))
{
    Console.Error.WriteLine("usage: Gstd.Demo setup|workload --server URL --credentials FILE [--admin-key-file FILE]");
    return 2;
}

var options = Enumerable.Range(0, (args.Length - 1) / 2).ToDictionary(i => args[1 + (2 * i)].TrimStart('-'), i => args[2 + (2 * i)]);
var server = new Uri(options["server"].TrimEnd('/') + "/");
var credentialsPath = options["credentials"];
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

if (args[0] == "setup")
{
    var credentials = await Demo.SetupAsync(server, File.ReadAllText(options["admin-key-file"]).Trim(), credentialsPath);
    Console.WriteLine(JsonSerializer.Serialize(credentials, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}

await Demo.RunWorkloadAsync(server, credentialsPath, stop.Token);
return 0;

/// <summary>The demo accounts and the workload that keeps the dashboard's spend and map alive.</summary>
internal static class Demo
{
    public static async Task<Dictionary<string, string>> SetupAsync(Uri server, string adminKey, string path)
    {
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
            if (existing.TryGetValue("admin", out var admin) && admin == adminKey && await WorksAsync(server, existing["client"]) && await WorksAsync(server, existing["worker"]))
            {
                return existing;
            }
        }

        using var anonymous = new GstdClient(server);
        var client = (await anonymous.SignUpAsync("Demo client", "client")).GetProperty("apiKey").GetString()!;
        var worker = (await anonymous.SignUpAsync("Demo worker operator", "worker")).GetProperty("apiKey").GetString()!;
        var credentials = new Dictionary<string, string> { ["admin"] = adminKey, ["client"] = client, ["worker"] = worker };
        var write = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            write.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), write))
        {
            await file.WriteAsync(JsonSerializer.Serialize(credentials));
        }

        return credentials;
    }

    public static async Task RunWorkloadAsync(Uri server, string path, CancellationToken ct)
    {
        var credentials = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
        using var client = new GstdClient(server, credentials["client"]);
        var module = Wasmtime.Module.ConvertText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "echo.wat")));
        var moduleId = await client.UploadModuleAsync(module);
        var open = new Queue<string>();
        var sent = 0;
        var completed = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var available = decimal.Parse((await client.GetMeAsync()).GetProperty("balance").GetProperty("available").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                if (available < 10)
                {
                    await client.DepositAsync("1000");
                }

                var task = await client.SubmitTaskAsync(moduleId, System.Text.Encoding.UTF8.GetBytes($"demo task {++sent}"), "0.01", new { reviewSeconds = 60 });
                open.Enqueue(task.GetProperty("id").GetString()!);
                while (open.Count > 0 && (await client.GetTaskAsync(open.Peek())).GetProperty("status").GetString() is "Completed" or "Settled" or "DeadLettered" or "Expired" or "Cancelled")
                {
                    var id = open.Dequeue();
                    if ((await client.GetTaskAsync(id)).GetProperty("status").GetString() != "Completed")
                    {
                        continue;
                    }

                    // Now and then the demo client disputes a result, so the admin's arbitration page has a queue and the
                    // automatic review can be watched (the demo agents are honest: re-execution releases those).
                    if (++completed % 30 == 0)
                    {
                        var reason = completed % 60 == 0 ? "other" : "wrong_output";
                        await client.OpenDisputeAsync(id, reason, reason == "other" ? "Demo: the client is unhappy with the result." : "Demo: the client doubts the output.");
                    }
                    else
                    {
                        await client.AcceptTaskAsync(id);
                    }
                }

                Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} demo: {sent} tasks submitted, {open.Count} in flight");
            }
            catch (Exception e) when (e is GstdApiException or HttpRequestException)
            {
                Console.WriteLine($"demo: {e.Message}");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<bool> WorksAsync(Uri server, string key)
    {
        using var client = new GstdClient(server, key);
        try
        {
            await client.GetMeAsync();
            return true;
        }
        catch (GstdApiException)
        {
            return false;
        }
    }
}
