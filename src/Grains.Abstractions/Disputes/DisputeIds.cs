namespace Gstd.Disputes;

public static class DisputeIds
{
    /// <summary>How every dispute id starts.</summary>
    public const string Prefix = "dsp_";

    private const string TaskPrefix = "tsk_";

    /// <summary>
    /// A task is disputed at most once, so its dispute's id follows from the task's: two requests to dispute
    /// the same task meet in one grain.
    /// </summary>
    public static string ForTask(string taskId) =>
        Prefix + (taskId.StartsWith(TaskPrefix, StringComparison.Ordinal) ? taskId[TaskPrefix.Length..] : taskId);
}
