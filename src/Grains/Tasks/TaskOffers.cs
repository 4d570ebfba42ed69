using Gstd.Protocol;
using Gstd.Workers;

namespace Gstd.Grains.Tasks;

public static class TaskOffers
{
    /// <summary>The reason an assignment's capacity check refused the worker: its grain's picture missed a lease.</summary>
    public const string OverCapacity = "over_capacity";

    /// <summary>The lease ended with the agent's own result: the agent knows, so nothing is revoked.</summary>
    public const string Completed = "completed";

    /// <summary>The offer (or lease) a task in Assigned or Running stands for, with its input when the caller has it at hand.</summary>
    public static TaskOffer From(TaskRecord task, byte[]? input = null) => new(
        task.Id, task.Body.Lease, task.ModuleId, task.InputId, task.Spec, task.Id,
        WorkerProof.Difficulty(task.Price), task.Body.AcceptBy ?? task.UpdatedAt, task.Body.LeaseExpiresAt,
        task.Status == Gstd.Tasks.TaskState.Running, input);
}
