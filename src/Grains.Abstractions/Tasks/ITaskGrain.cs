using Gstd.Disputes;
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

    /// <summary>
    /// Runs a dead-lettered or expired task again (its owner, or an admin): the escrow is held again under a
    /// new generation, attempts start over, the task is queued. Refused when the client's balance is short.
    /// Repeated with the <paramref name="idempotencyKey"/> of the last redrive, it answers the task as it is.
    /// </summary>
    [Alias("Redrive")]
    Task<TaskActionResult> Redrive(string accountId, bool isAdmin, string? idempotencyKey);

    /// <summary>Ends a task's backoff now (admins).</summary>
    [Alias("RetryNow")]
    Task<TaskActionResult> RetryNow();

    /// <summary>A deadline of the task may have passed (sent by the sweepers; idempotent).</summary>
    [Alias("Wake"), OneWay]
    Task Wake();

    /// <summary>The pool reserved a slot on this worker for the task: offer it.</summary>
    [Alias("Assign"), OneWay]
    Task Assign(string workerId);

    /// <summary>The worker's agent accepts its offer and starts running.</summary>
    [Alias("AcceptOffer")]
    Task<WorkOutcome> AcceptOffer(string workerId, long lease);

    /// <summary>The agent is still running the task (at least every 5 s).</summary>
    [Alias("Progress")]
    Task<WorkOutcome> Progress(string workerId, long lease);

    /// <summary>A signed result with its proof of work; idempotent per (lease, output hash).</summary>
    [Alias("Complete")]
    Task<WorkOutcome> Complete(WorkResult result);

    /// <summary>The agent could not run the task; counts as a failed attempt.</summary>
    [Alias("Fail")]
    Task<WorkOutcome> Fail(string workerId, long lease, TaskReason error);

    /// <summary>The agent will not run its offer or lease; the task is offered elsewhere at once.</summary>
    [Alias("Decline")]
    Task<WorkOutcome> Decline(string workerId, long lease);

    /// <summary>Whether the account runs the worker holding this task's live offer or lease and the content is the task's module or input.</summary>
    [Alias("LeaseAllows")]
    Task<bool> LeaseAllows(string accountId, string contentId);

    /// <summary>
    /// The worker's connection closed cleanly, or dropped and stayed away (<paramref name="vanished"/>, which
    /// costs the worker trust as a lost lease does): its lease ends now. Sent by the worker grain, so one-way.
    /// </summary>
    [Alias("Release"), OneWay]
    Task Release(string workerId, long lease, bool vanished);

    /// <summary>
    /// Opens the task's dispute (called by its dispute grain): in one transaction the escrow is frozen, the
    /// task becomes Disputed and the dispute's row is written with the evidence. Refused unless the task is
    /// the client's, Completed and inside its review window.
    /// </summary>
    [Alias("OpenDispute")]
    Task<DisputeActionResult> OpenDispute(OpenDispute command, string disputeId);

    /// <summary>The platform's run of a task being verified came back (null when it could not be made); sent by the task itself.</summary>
    [Alias("RecordVerification"), OneWay]
    Task RecordVerification(int round, ExecutionReport? report);

    /// <summary>Pays out the frozen escrow as the dispute decided and ends the task; idempotent.</summary>
    [Alias("ResolveDispute")]
    Task<bool> ResolveDispute(DisputeSettlement settlement);
}
