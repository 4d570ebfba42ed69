using System.Threading.Channels;

namespace Gstd.Sandbox.Running;

/// <summary>
/// Executes runs on a fixed set of dedicated threads with a large, known stack, never on the caller's
/// thread: a heavy or hostile module can occupy at most these threads, not the silo's thread pool. The
/// queue is bounded, so callers wait (asynchronously) when the platform is saturated.
/// </summary>
public sealed class SandboxRunner : IDisposable
{
    /// <summary>Native stack of a sandbox thread: far above the guest's own stack limit.</summary>
    public const int ThreadStackBytes = 16 * 1024 * 1024;

    private readonly WasmEngine _engine;
    private readonly Channel<Job> _queue;
    private readonly Thread[] _threads;

    public SandboxRunner(WasmEngine engine, int threads, int queueCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, WasmEngine.InstanceSlots);
        _engine = engine;
        _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(queueCapacity) { SingleWriter = false, SingleReader = false });
        _threads = Enumerable.Range(0, threads).Select(i => new Thread(Work, ThreadStackBytes)
        {
            IsBackground = true,
            Name = $"gstd-sandbox-{i}",
        }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public int Threads => _threads.Length;

    public async Task<RunResult> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        var job = new Job(request, new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(job, cancellationToken);
        return await job.Completion.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Work()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var job))
            {
                try
                {
                    job.Completion.SetResult(SandboxExecutor.Run(_engine, job.Request));
                }
                catch (Exception e)
                {
                    job.Completion.SetException(e);
                }
            }
        }
    }

    private sealed record Job(RunRequest Request, TaskCompletionSource<RunResult> Completion);
}
