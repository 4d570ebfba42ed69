using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gstd.Client;
using Gstd.Client.Realtime;

namespace Gstd.Bench.EndToEnd;

/// <summary>
/// Client accounts as an application drives GSTD: each submits tasks over HTTP, learns that they completed from
/// its account's realtime topic (no polling), and accepts them so the escrow settles at once.
/// </summary>
public sealed class GstdClients : IAsyncDisposable
{
    private const string Price = "0.001";
    private readonly List<Account> _accounts;

    private GstdClients(List<Account> accounts) => _accounts = accounts;

    public static async Task<GstdClients> SignUpAsync(Uri server, GstdClient anonymous, int accounts, byte[] module)
    {
        var list = new List<Account>();
        for (var i = 0; i < accounts; i++)
        {
            var key = (await anonymous.SignUpAsync($"bench-client-{Guid.NewGuid():N}", "client")).GetProperty("apiKey").GetString()!;
            var http = new GstdClient(server, key);
            await http.DepositAsync("1000");
            var account = new Account(http, await http.UploadModuleAsync(module), new RealtimeConnection([server], key, ["account"]));
            account.Start();
            list.Add(account);
        }

        await Task.WhenAll(list.Select(a => a.ConnectedAsync()));
        return new GstdClients(list);
    }

    /// <summary>Submits task <paramref name="i"/>, waits for it to complete, accepts it, and answers submit→completed in ms.</summary>
    public async Task<double> RunAsync(int i)
    {
        var account = _accounts[i % _accounts.Count];
        var watch = Stopwatch.StartNew();
        var submitted = await account.Http.SubmitTaskAsync(account.ModuleId, BitConverter.GetBytes(Random.Shared.NextInt64()), Price);
        var taskId = submitted.GetProperty("id").GetString()!;
        await account.CompletedAsync(taskId);
        var latency = watch.Elapsed.TotalMilliseconds;
        var settled = await account.Http.AcceptTaskAsync(taskId);
        return settled.GetProperty("status").GetString() == "Settled"
            ? latency
            : throw new InvalidOperationException($"Task {taskId} did not settle on accept: {settled}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var account in _accounts)
        {
            await account.DisposeAsync();
        }
    }

    private sealed class Account(GstdClient http, string moduleId, RealtimeConnection connection) : IAsyncDisposable
    {
        private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _completed = new(StringComparer.Ordinal);
        private Task? _reader;

        public GstdClient Http => http;

        public string ModuleId => moduleId;

        public void Start()
        {
            connection.Start();
            _reader = Task.Run(ReadAsync);
        }

        public async Task ConnectedAsync()
        {
            while (connection.State != ConnectionState.Connected)
            {
                await Task.Delay(50);
            }
        }

        public async Task CompletedAsync(string taskId)
        {
            try
            {
                await Signal(taskId).Task.WaitAsync(Patience);
            }
            finally
            {
                _completed.TryRemove(taskId, out _);
            }
        }

        private TaskCompletionSource Signal(string taskId) =>
            _completed.GetOrAdd(taskId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task ReadAsync()
        {
            var events = connection.Events.ReadAllAsync();
            var resyncs = connection.Resyncs.ReadAllAsync();
            await Task.WhenAll(Task.Run(async () =>
            {
                await foreach (var e in events)
                {
                    if (e.Event.GetProperty("kind").GetString() == "task.completed")
                    {
                        Signal(e.Event.GetProperty("taskId").GetString()!).TrySetResult();
                    }
                }
            }), Task.Run(async () =>
            {
                // Continuity lost: read every task still awaited, as an application would after a resync.
                await foreach (var _ in resyncs)
                {
                    foreach (var taskId in _completed.Keys)
                    {
                        if ((await http.GetTaskAsync(taskId)).GetProperty("status").GetString() is "Completed")
                        {
                            Signal(taskId).TrySetResult();
                        }
                    }
                }
            }));
        }

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            await (_reader ?? Task.CompletedTask);
            http.Dispose();
        }
    }
}
