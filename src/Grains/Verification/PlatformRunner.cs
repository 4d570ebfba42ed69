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
/// dedicated threads, never a silo thread.
/// </summary>
public sealed class PlatformRunner(
    SandboxRunner runner, NpgsqlDataSource dataSource, IOptions<PlatformLimits> limits, TimeProvider time, ILogger<PlatformRunner> logger)
{
    /// <summary>
    /// Starts a run without holding up the grain that asked (a run may take as long as the task's time limit)
    /// and hands its report to <paramref name="deliver"/>, which should message the grain; null when the run
    /// could not be made. A report that cannot be delivered is lost: the grain's deadline runs it again.
    /// </summary>
    public void Start(int number, string taskId, string moduleId, string inputId, TaskSpec spec, Func<ExecutionReport?, Task> deliver) =>
        _ = Task.Run(async () =>
        {
            ExecutionReport? report = null;
            try
            {
                report = await RunAsync(number, taskId, moduleId, inputId, spec, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Task {Task}: platform run {Number} could not be made", taskId, number);
            }

            try
            {
                await deliver(report);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Task {Task}: platform run {Number} could not be delivered", taskId, number);
            }
        });

    public async Task<ExecutionReport> RunAsync(int number, string taskId, string moduleId, string inputId, TaskSpec spec, CancellationToken ct)
    {
        var module = await ContentStore.ReadAnyAsync(dataSource, moduleId, ct)
            ?? throw new InvalidOperationException($"Task {taskId}: its module {moduleId} is gone.");
        var input = await ContentStore.ReadAnyAsync(dataSource, inputId, ct)
            ?? throw new InvalidOperationException($"Task {taskId}: its input {inputId} is gone.");
        var sandboxLimits = new SandboxLimits(
            spec.MaxFuel, spec.MemoryLimitMb * 1024L * 1024, TimeSpan.FromSeconds(spec.TimeoutSeconds), limits.Value.MaxOutputBytes);
        // The seed is the task id, as in every worker's offer, so the run sees the same randomness.
        var result = await runner.RunAsync(new RunRequest(moduleId, module, input, Encoding.UTF8.GetBytes(taskId), sandboxLimits), ct);
        return new ExecutionReport(
            number,
            time.GetUtcNow(),
            result.Outcome.ToString(),
            result.Succeeded ? Convert.ToHexStringLower(SHA256.HashData(result.Output)) : null,
            result.Output.Length,
            result.Output.AsSpan(0, Math.Min(result.Output.Length, ExecutionReport.PreviewBytes)).ToArray(),
            result.FuelUsed,
            (long)result.Duration.TotalMilliseconds,
            result.Detail);
    }
}
