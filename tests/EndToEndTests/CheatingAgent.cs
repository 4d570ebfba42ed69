using System.Collections.Concurrent;
using Gstd.Testing;

namespace Gstd.EndToEndTests;

/// <summary>
/// A scripted worker that answers the echo module's offers honestly for its first <c>honestFirst</c> tasks (to earn
/// a run of verified results), then with a forged output — signed and proven like any result, so only running
/// the task again can tell.
/// </summary>
public sealed class CheatingAgent : IAsyncDisposable
{
    public static readonly byte[] Forged = "echo:forged"u8.ToArray();

    private readonly int _honestFirst;
    private ScriptedWorker? _worker;
    private int _answered;

    private CheatingAgent(int honestFirst) => _honestFirst = honestFirst;

    public string WorkerId => _worker!.WorkerId;

    /// <summary>The tasks it answered with <see cref="Forged"/>.</summary>
    public ConcurrentBag<string> Cheated { get; } = [];

    public static async Task<CheatingAgent> StartAsync(Uri server, string apiKey, int honestFirst)
    {
        var agent = new CheatingAgent(honestFirst);
        agent._worker = await ScriptedWorker.StartAsync(server, apiKey, "sleeper", agent.Answer);
        return agent;
    }

    private byte[] Answer(string taskId, byte[] input)
    {
        if (Interlocked.Increment(ref _answered) <= _honestFirst)
        {
            return ScriptedWorker.Echo(taskId, input);
        }

        Cheated.Add(taskId);
        return Forged;
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
    }
}
