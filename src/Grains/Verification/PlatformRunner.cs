using System.Security.Cryptography;
using System.Text;
using Gstd.Content;
using Gstd.Disputes;
using Gstd.Grains.Content;
using Gstd.Sandbox.Running;
using Gstd.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gstd.Grains.Verification;

/// <summary>
/// The platform's own executions of a task (dispute verdicts, spot checks and tie-breaks between replicas): the
/// task's module and input with its seed and limits, exactly as a worker runs them, on the sandbox runner's
/// dedicated threads, never a silo thread. A run uses the task's limits only up to the platform's caps
/// (<see cref="PlatformLimits.PlatformRunMaxFuel"/> and the others), and runs wait in a <see cref="FairQueue{T}"/>
/// that takes turns between the tasks' clients: one client's flood of long checks cannot hold up another's.
/// </summary>
public sealed class PlatformRunner : IAsyncDisposable
{
    private readonly SandboxRunner _runner;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PlatformLimits _limits;
    private readonly TimeProvider _time;
    private readonly ILogger<PlatformRunner> _logger;
    private readonly FairQueue<Run> _queue;
    private readonly SemaphoreSlim _waiting = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _consumers;

    public PlatformRunner(SandboxRunner runner, NpgsqlDataSource dataSource, IOptions<PlatformLimits> limits, TimeProvider time, ILogger<PlatformRunner> logger)
    {
        _runner = runner;
        _dataSource = dataSource;
        _limits = limits.Value;
        _time = time;
        _logger = logger;
        _queue = new FairQueue<Run>(_limits.PlatformRunsQueuedPerClient, _limits.PlatformRunsQueued);
        // One consumer per runner thread: a run is taken from the queue only when a thread is free to start it.
        _consumers = [.. Enumerable.Range(0, runner.Threads).Select(_ => Task.Run(ConsumeAsync))];
    }

    /// <summary>
    /// Queues a run without holding up the grain that asked and hands its report to <paramref name="deliver"/>,
    /// which should message the grain; null when the run could not be made (its client already has its share of the
    /// queue waiting, or the run failed). A report that cannot be delivered is lost: the grain's deadline runs it again.
    /// </summary>
    public void Start(int number, string clientId, string taskId, string moduleId, string inputId, TaskSpec spec, Func<ExecutionReport?, Task> deliver)
    {
        if (_queue.TryEnqueue(clientId, new Run(number, taskId, moduleId, inputId, spec, deliver)))
        {
            _waiting.Release();
            return;
        }

        _logger.LogInformation("Task {Task}: platform run {Number} refused, client {Client} has its share of the runner's queue", taskId, number, clientId);
        _ = DeliverAsync(number, taskId, deliver, null);
    }

    /// <summary>The limits a platform run of a task with <paramref name="spec"/> gets: the task's own, capped.</summary>
    public SandboxLimits LimitsFor(TaskSpec spec) => new(
        Math.Min(spec.MaxFuel, _limits.PlatformRunMaxFuel),
        Math.Min(spec.MemoryLimitMb, _limits.PlatformRunMaxMemoryMb) * 1024L * 1024,
        TimeSpan.FromSeconds(Math.Min(spec.TimeoutSeconds, _limits.PlatformRunMaxSeconds)),
        _limits.MaxOutputBytes);

    public async Task<ExecutionReport> RunAsync(int number, string taskId, string moduleId, string inputId, TaskSpec spec, CancellationToken ct)
    {
        var module = await ContentStore.ReadAnyAsync(_dataSource, moduleId, ct)
            ?? throw new InvalidOperationException($"Task {taskId}: its module {moduleId} is gone.");
        var input = await ContentStore.ReadAnyAsync(_dataSource, inputId, ct)
            ?? throw new InvalidOperationException($"Task {taskId}: its input {inputId} is gone.");
        // The seed is the task id, as in every worker's offer, so the run sees the same randomness.
        var result = await _runner.RunAsync(new RunRequest(moduleId, module, input, Encoding.UTF8.GetBytes(taskId), LimitsFor(spec)), ct);
        return new ExecutionReport(
            number,
            _time.GetUtcNow(),
            result.Outcome.ToString(),
            result.Succeeded ? Convert.ToHexStringLower(SHA256.HashData(result.Output)) : null,
            result.Output.Length,
            result.Output.AsSpan(0, Math.Min(result.Output.Length, ExecutionReport.PreviewBytes)).ToArray(),
            result.FuelUsed,
            (long)result.Duration.TotalMilliseconds,
            result.Detail);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_consumers);
        _stopping.Dispose();
        _waiting.Dispose();
    }

    private async Task ConsumeAsync()
    {
        var ct = _stopping.Token;
        try
        {
            while (true)
            {
                await _waiting.WaitAsync(ct);
                if (!_queue.TryDequeue(out var run))
                {
                    continue;
                }

                ExecutionReport? report = null;
                try
                {
                    report = await RunAsync(run.Number, run.TaskId, run.ModuleId, run.InputId, run.Spec, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _logger.LogWarning(e, "Task {Task}: platform run {Number} could not be made", run.TaskId, run.Number);
                }

                await DeliverAsync(run.Number, run.TaskId, run.Deliver, report);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The silo is stopping: queued runs are lost with it and their grains' deadlines start them again.
        }
    }

    private async Task DeliverAsync(int number, string taskId, Func<ExecutionReport?, Task> deliver, ExecutionReport? report)
    {
        try
        {
            await deliver(report);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Task {Task}: platform run {Number} could not be delivered", taskId, number);
        }
    }

    private sealed record Run(int Number, string TaskId, string ModuleId, string InputId, TaskSpec Spec, Func<ExecutionReport?, Task> Deliver);
}
