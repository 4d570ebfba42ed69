using Orleans.Concurrency;

namespace Gstd.Tasks;

/// <summary>
/// One task: its state machine, lease and escrow. Every transition is one PostgreSQL transaction (the
/// task row, the ledger transfer, the outbox events and the next deadline together).
/// </summary>
[Alias("gstd.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    /// <summary>Creates the task, holding its escrow; the grain key is the new task's id.</summary>
    [Alias("Submit")]
    Task<SubmitResult> Submit(SubmitTask command);

    /// <summary>The task as <paramref name="accountId"/> may see it; null when it does not exist or is not theirs.</summary>
    [Alias("Get")]
    Task<TaskView?> Get(string accountId, bool isAdmin);

    [Alias("Cancel")]
    Task<TaskActionResult> Cancel(string accountId);

    /// <summary>Settles a completed task now instead of at the end of its review window.</summary>
    [Alias("Accept")]
    Task<TaskActionResult> Accept(string accountId);

    /// <summary>A deadline of the task may have passed (sent by the sweepers; idempotent).</summary>
    [Alias("Wake"), OneWay]
    Task Wake();
}
