namespace Gstd.Disputes;

public static class DisputeIds
{
    private const string TaskPrefix = "tsk_";

    /// <summary>
    /// A task is disputed at most once, so its dispute's id follows from the task's: two requests to dispute
    /// the same task meet in one grain.
    /// </summary>
    public static string ForTask(string taskId) =>
        "dsp_" + (taskId.StartsWith(TaskPrefix, StringComparison.Ordinal) ? taskId[TaskPrefix.Length..] : taskId);
}
