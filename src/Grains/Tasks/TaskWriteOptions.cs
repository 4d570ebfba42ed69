namespace Gstd.Grains.Tasks;

/// <summary>How task transitions are written, bound from "Gstd:TaskWrites".</summary>
public sealed class TaskWriteOptions
{
    public const string Section = "Gstd:TaskWrites";

    /// <summary>
    /// How long an accepted offer waits in memory for its result before Running is written on its own. Most runs
    /// end sooner, and their Running is written with the result: one transaction fewer per task.
    /// </summary>
    public TimeSpan RunningWriteDelay { get; set; } = TimeSpan.FromSeconds(1);
}
