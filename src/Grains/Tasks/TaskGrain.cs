using Gstd.Accounts;
using Gstd.Content;
using Gstd.Disputes;
using Gstd.Grains.Disputes;
using Gstd.Grains.Content;
using Gstd.Grains.Ledger;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Gstd.Grains.Trust;
using Gstd.Grains.Verification;
using Gstd.Grains.Workers;
using Gstd.Protocol;
using Gstd.Realtime;
using Gstd.Tasks;
using Gstd.Trust;
using Gstd.Workers;
using NSec.Cryptography;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gstd.Grains.Tasks;

/// <summary>
/// One task's state machine. The row in <c>tasks</c> is the truth; this grain is its single writer and
/// keeps the row in memory. Each transition is one transaction: the row (guarded by its version), the ledger
/// transfer, the outbox events and the next deadline; one that moves no money may share its transaction with other
/// tasks' (<see cref="GroupCommit"/>). The one exception is an accepted offer: Running moves no
/// money and sets no deadline the offer's does not cover, so it is written with the result when that follows
/// within <see cref="TaskWriteOptions.RunningWriteDelay"/>, on its own otherwise; a lost acceptance is recovered from the worker's
/// next beat or result.
/// </summary>
public sealed class TaskGrain(
    Postgres db, GroupCommit group, ContentGrants grants, LedgerStore ledger, PlatformRunner runner, IOptions<PlatformLimits> limits, IOptions<VerificationOptions> verification,
    IOptions<TaskWriteOptions> writeOptions, TimeProvider time, ILogger<TaskGrain> logger)
    : Grain, ITaskGrain, IRemindable, IIncomingGrainCallFilter
{
    /// <summary>How long an agent has to accept an offer.</summary>
    public static readonly TimeSpan AcceptWindow = TimeSpan.FromSeconds(10);

    /// <summary>A running lease expires after this long without progress.</summary>
    public static readonly TimeSpan LeaseWindow = TimeSpan.FromSeconds(15);

    /// <summary>Times a task may lose its worker (declines, expired offers and leases) before it is dead-lettered.</summary>
    public const int MaxReassignments = 10;

    /// <summary>The reminder that ends a backoff; the sweeper is the net under it.</summary>
    public const string RetryReminder = "retry";

    /// <summary>A reminder may fire a little before the task's own clock says the backoff ended.</summary>
    private static readonly TimeSpan ReminderTolerance = TimeSpan.FromMilliseconds(500);

    private TaskRecord? _task;
    private bool _loaded;
    private DateTimeOffset _lastProgress;

    /// <summary>The accepted offer (<see cref="_task"/> in Running) not yet written; the row holds the version before it.</summary>
    private TaskRecord? _unwritten;
    private IGrainTimer? _writeRunning;

    /// <summary>The verification round (the attempt count) whose platform run this activation has in flight.</summary>
    private int? _verifying;

    /// <summary>The input given inline at submission, sent with offers so agents need not download it; gone after a restart.</summary>
    private byte[]? _input;

    /// <summary>A result's output on its way into the task: stored by the transition that records the result, in its transaction.</summary>
    private (string Id, byte[] Bytes)? _unstoredOutput;

    /// <summary>Workers found to share an account with one of the replicas: never offered this task.</summary>
    private readonly HashSet<string> _sameAccount = new(StringComparer.Ordinal);

    private string Id => this.GetPrimaryKeyString();

    private IWorkerPoolGrain Pool => GrainFactory.GetGrain<IWorkerPoolGrain>(IWorkerPoolGrain.Wasm);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Progress is not persisted: after a restart a running lease gets one fresh window to report in.
        _lastProgress = time.GetUtcNow();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads the row before the activation's first call, unless that call submits a task under an id made for it
    /// (no row can have it): one read fewer for every new task.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!_loaded)
        {
            if (context.Request.GetArgumentCount() == 0 || context.Request.GetArgument(0) is not SubmitTask { FreshId: true })
            {
                _task = await LoadAsync();
            }

            _loaded = true;
        }

        await context.Invoke();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo stopping in a hurry writes nothing more: the worker's next beat or result brings the acceptance back.
        if (_unwritten is not null && !cancellationToken.IsCancellationRequested)
        {
            await WriteRunningAsync(cancellationToken);
        }
    }

    public async Task<SubmitResult> Submit(SubmitTask command)
    {
        if (_task is not null)
        {
            // Only an Idempotency-Key leads two submissions to one task id.
            return _task.ClientId == command.ClientId && _task.Body.RequestHash.AsSpan().SequenceEqual(command.RequestHash)
                ? new SubmitResult(SubmitStatus.Replayed, _task.ToView())
                : new SubmitResult(SubmitStatus.KeyReused, null);
        }

        if (!await grants.IsGrantedAsync(command.ModuleId, ContentKind.Module, command.ClientId, CancellationToken.None))
        {
            return new SubmitResult(SubmitStatus.ModuleNotFound, null);
        }

        if (command.Input is { } inline && ContentId.Of(inline) != command.InputId)
        {
            throw new ArgumentException("The inline input does not hash to its id.", nameof(command));
        }

        if (command.Input is null && !await grants.IsGrantedAsync(command.InputId, ContentKind.Blob, command.ClientId, CancellationToken.None))
        {
            return new SubmitResult(SubmitStatus.InputNotFound, null);
        }

        var now = time.GetUtcNow();
        var fee = Fees.Fee(command.Price * command.Spec.Replicas, limits.Value.FeeBps);
        var queueDeadline = now.AddSeconds(command.Spec.QueueTimeoutSeconds);
        var task = new TaskRecord(
            Id, command.ClientId, 1, TaskState.Queued, command.ModuleId, command.InputId, command.Price, fee, 1, command.Spec,
            new TaskBody(new EscrowView(EscrowState.Held, (command.Price * command.Spec.Replicas) + fee, null, null, null),
                [], [new HistoryEntry(TaskState.Queued, now, null)], null, 0, null, null, null, queueDeadline, null, command.RequestHash),
            queueDeadline, now, now);

        var status = await db.WriteAsync(async (tx, ct) =>
        {
            // The input, the row and its events go to the server with the hold's journal.
            NpgsqlBatchCommand? insert = null;
            var hold = await ledger.HoldAsync(tx, Id, task.EscrowGeneration, task.ClientId, task.EscrowAmount, ct, new AlongWith(task.ClientId, (rows, balance) =>
            {
                if (command.Input is { } input)
                {
                    ContentStore.StoreAndGrant(rows, command.InputId, input, ContentKind.Blob, task.ClientId, now);
                }

                insert = TaskStore.Insert(rows, task, limits.Value.MaxQueuedTasks);
                AddEvent(rows, task, now);
                BalanceEvents.Add(rows, task.ClientId, balance, -task.EscrowAmount, "hold", task.Id, "task:" + task.Id, task.Version, now);
            }));
            return hold.Status switch
            {
                TransferStatus.InsufficientFunds => SubmitStatus.InsufficientFunds,
                // Too many tasks of this client wait already: the hold is rolled back with the rest.
                TransferStatus.Applied when insert!.RecordsAffected == 0 => SubmitStatus.QueueFull,
                TransferStatus.Applied => SubmitStatus.Created,
                // The hold commits with the row: a hold made before means a row this activation should have read.
                _ => throw new InvalidOperationException($"Task {Id}: the submission's hold was {hold.Status}."),
            };
        }, created => created == SubmitStatus.Created, CancellationToken.None, async () =>
            // The row and the hold commit together: if the row is there, so is the hold.
            await LoadAsync() is not null ? SubmitStatus.Created : throw new InvalidOperationException($"Task {Id}: the submission did not commit."));
        if (status != SubmitStatus.Created)
        {
            return new SubmitResult(status, null);
        }

        _task = task;
        _input = command.Input;
        await OfferToPoolAsync([], retryAfterFence: true);
        return new SubmitResult(SubmitStatus.Created, _task.ToView());
    }

    public Task<TaskView?> Get(string accountId, bool isAdmin) =>
        Task.FromResult(_task is not null && (isAdmin || _task.ClientId == accountId) ? _task.ToView() : null);

    public async Task<TaskActionResult> Cancel(string accountId)
    {
        if (_task is null || _task.ClientId != accountId)
        {
            return new TaskActionResult(TaskActionStatus.NotFound, null, null);
        }

        if (_task.Status == TaskState.Cancelled)
        {
            return Done();
        }

        if (!_task.Status.IsCancellable())
        {
            return Refused(TaskActionStatus.InvalidState, $"A {_task.Status} task cannot be cancelled.");
        }

        var task = _task;
        if (await RefundAsync(TaskState.Cancelled, new TaskReason("cancelled", "The client cancelled the task."),
                body => body with { Attempts = task.Status is TaskState.Assigned or TaskState.Running ? EndAttempt(task, AttemptOutcome.Cancelled, null, time.GetUtcNow()) : body.Attempts }))
        {
            await ReleaseWorkerAsync(task, "cancelled");
        }

        return Done();
    }

    public async Task<TaskActionResult> Accept(string accountId)
    {
        if (_task is null || _task.ClientId != accountId)
        {
            return new TaskActionResult(TaskActionStatus.NotFound, null, null);
        }

        return _task.Status switch
        {
            TaskState.Settled => Done(),
            TaskState.Completed => await SettleAsync() ? Done() : Refused(TaskActionStatus.InvalidState, "The task changed; read it again."),
            TaskState.Disputed => Refused(TaskActionStatus.EscrowFrozen, "The escrow is frozen while the dispute is open."),
            _ => Refused(TaskActionStatus.InvalidState, $"A {_task.Status} task cannot be accepted; only a Completed one can."),
        };
    }

    public async Task<TaskActionResult> Redrive(string accountId, bool isAdmin, string? idempotencyKey)
    {
        if (_task is null || !(isAdmin || _task.ClientId == accountId))
        {
            return new TaskActionResult(TaskActionStatus.NotFound, null, null);
        }

        if (idempotencyKey is not null && _task.Body.RedriveKey == idempotencyKey)
        {
            return Done();
        }

        if (_task.Status is not (TaskState.DeadLettered or TaskState.Expired))
        {
            return Refused(TaskActionStatus.InvalidState, $"Only a DeadLettered or Expired task can be redriven; this one is {_task.Status}.");
        }

        var task = _task;
        var now = time.GetUtcNow();
        var queueDeadline = now.AddSeconds(task.Spec.QueueTimeoutSeconds);
        var generation = task.EscrowGeneration + 1;
        var next = Advance(TaskState.Queued, new TaskReason("redriven", isAdmin && task.ClientId != accountId ? "An admin redrove the task." : "The client redrove the task."), queueDeadline);
        next = next with
        {
            EscrowGeneration = generation,
            Body = next.Body with
            {
                Escrow = new EscrowView(EscrowState.Held, task.EscrowAmount, null, null, null),
                Attempts = [],
                Reassignments = 0,
                Result = null,
                WorkerId = null,
                WorkerAccountId = null,
                NextAttemptAt = null,
                QueueDeadline = queueDeadline,
                RedriveKey = idempotencyKey,
                Replicas = null,
                Payees = null,
            },
        };
        var hold = new Writes((tx, along) => ledger.HoldAsync(tx, Id, generation, task.ClientId, task.EscrowAmount, CancellationToken.None, along), -task.EscrowAmount, "hold");
        switch (await CommitAsync(next, hold))
        {
            case Commit.Done:
                _sameAccount.Clear();
                await OfferToPoolAsync([], retryAfterFence: true);
                return Done();
            case Commit.Refused:
                return Refused(TaskActionStatus.InsufficientFunds, "The balance does not cover the escrow again; add funds and redrive.");
            default:
                return Refused(TaskActionStatus.InvalidState, "The task changed; read it again.");
        }
    }

    public async Task<TaskActionResult> RetryNow()
    {
        if (_task is null)
        {
            return new TaskActionResult(TaskActionStatus.NotFound, null, null);
        }

        if (_task.Status != TaskState.RetryWaiting)
        {
            return Refused(TaskActionStatus.InvalidState, $"Only a task in RetryWaiting has a backoff to skip; this one is {_task.Status}.");
        }

        await StartRetryAsync();
        return Done();
    }

    public async Task Wake()
    {
        if (_task?.DueAt is not { } due || due > time.GetUtcNow())
        {
            return;
        }

        switch (_task.Status)
        {
            case TaskState.Queued:
                await RefundAsync(TaskState.Expired, new TaskReason("queue_timeout", $"No worker took the task within {_task.Spec.QueueTimeoutSeconds} s."));
                break;
            case TaskState.Completed:
                await SettleAsync();
                break;
            case TaskState.Assigned:
                await LoseWorkerAsync(new TaskReason("offer_expired", "The worker did not accept the offer in time."), TrustEvent.MissedOffer);
                break;
            case TaskState.Running:
                await CheckLeaseAsync();
                break;
            case TaskState.RetryWaiting:
                await StartRetryAsync();
                break;
            case TaskState.Verifying when time.GetUtcNow() >= _task.Body.VerifyBy:
                // No platform run came back in time: the results are judged without it.
                await JudgeAsync(_task.Body.Replicas ?? [], ReplicaVerdict.Judge(_task.Body.Replicas ?? [], spotCheck: true, null, platformGaveUp: true));
                await AfterResultsAsync();
                break;
            case TaskState.Verifying:
                // The run may have died with its silo: start it again unless this activation has it on its way.
                if (_verifying is null)
                {
                    StartVerification();
                }

                await TransitionAsync(_task with { Version = _task.Version + 1, DueAt = time.GetUtcNow() + verification.Value.RunCheck });
                break;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetryReminder)
        {
            return;
        }

        if (_task is { Status: TaskState.RetryWaiting, Body.NextAttemptAt: { } at } && at - ReminderTolerance <= time.GetUtcNow())
        {
            await StartRetryAsync();
        }
        else if (_task?.Status != TaskState.RetryWaiting)
        {
            // A late or repeated tick after the attempt started (or the task ended): nothing to do but stop it.
            await ForgetRetryReminderAsync();
        }
    }

    /// <summary>The backoff is over: the task is queued again and offered to a worker other than the ones that had it.</summary>
    private async Task StartRetryAsync()
    {
        // Back in the queue, the queue timeout starts again: waiting out a backoff is not waiting for a worker.
        var queueDeadline = time.GetUtcNow().AddSeconds(_task!.Spec.QueueTimeoutSeconds);
        var next = Advance(TaskState.Queued, null, queueDeadline);
        next = next with { Body = next.Body with { NextAttemptAt = null, QueueDeadline = queueDeadline } };
        if (await TransitionAsync(next))
        {
            await ForgetRetryReminderAsync();
            await OfferToPoolAsync([], retryAfterFence: true);
        }
    }

    private async Task ForgetRetryReminderAsync()
    {
        if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task Assign(string workerId) => AssignAsync(workerId, retryAfterFence: true);

    /// <summary>
    /// Asks the pool for a worker; when one reserved a slot at once, assigns it. A task the pool cannot place
    /// waits there, and a failed call leaves the task Queued for the pool's reconciliation to find.
    /// </summary>
    private async Task OfferToPoolAsync(IReadOnlyList<string> alsoAvoid, bool retryAfterFence)
    {
        var entry = _task!.ToPoolTask();
        if (_sameAccount.Count > 0)
        {
            entry = entry with { ExcludeWorkers = [.. entry.ExcludeWorkers ?? [], .. _sameAccount] };
        }

        string? workerId;
        try
        {
            workerId = await Pool.Enqueue(alsoAvoid.Count == 0 ? entry : entry with { AvoidWorkers = [.. entry.AvoidWorkers.Union(alsoAvoid, StringComparer.Ordinal)] });
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            logger.LogWarning(e, "Task {Task} could not reach its pool; it stays Queued for the pool to find", Id);
            return;
        }

        if (workerId is null)
        {
            return;
        }

        try
        {
            await AssignAsync(workerId, retryAfterFence);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or NpgsqlException)
        {
            // The task is committed and Queued: the pool's reconciliation offers it again, the reservation lapses.
            logger.LogWarning(e, "Task {Task} could not be assigned to {Worker}; it stays Queued for the pool to find", Id, workerId);
        }
    }

    /// <summary>
    /// Confirms a reservation: a new lease, in a transaction that first checks under a lock on the worker that
    /// it has a free slot, so no worker ever holds more leases than its capacity whatever its grain believed.
    /// </summary>
    private async Task AssignAsync(string workerId, bool retryAfterFence)
    {
        var worker = GrainFactory.GetGrain<IWorkerGrain>(workerId);
        if (_task is not { Status: TaskState.Queued } task)
        {
            // A repeated decision for the worker that holds the task changes nothing; any other frees the reservation.
            if (_task is not { Status: TaskState.Assigned or TaskState.Running } || _task.Body.WorkerId != workerId)
            {
                await worker.LeaseEnded(Id, 0, "not_assignable");
            }

            return;
        }

        var credentials = await worker.GetCredentials();
        if (credentials is not null && task.Body.Replicas?.Any(r => r.AccountId == credentials.AccountId) == true)
        {
            // Replicas must come from distinct accounts: leave this account's workers out and ask again.
            _sameAccount.Add(workerId);
            await worker.LeaseEnded(Id, 0, "not_assignable");
            await OfferToPoolAsync([], retryAfterFence);
            return;
        }

        var now = time.GetUtcNow();
        var lease = task.Body.Lease + 1;
        var acceptBy = now + AcceptWindow;
        var next = Advance(TaskState.Assigned, null, acceptBy);
        next = next with
        {
            Body = next.Body with
            {
                Lease = lease,
                WorkerId = workerId,
                WorkerAccountId = credentials?.AccountId,
                AcceptBy = acceptBy,
                LeaseExpiresAt = null,
                Attempts = [.. task.Body.Attempts, new AttemptView(task.Body.Attempts.Count + 1, workerId, credentials?.Location, lease, now, null, null, null)],
            },
        };
        // The offer goes on the worker's stream in the assignment's own transaction: committed together or not at all.
        var offer = TaskOffers.From(next, _input);
        switch (await CommitAsync(next, new Writes(FreeSlotOf: workerId, Message: ("worker:" + workerId, AgentEvents.Offer(offer, now)))))
        {
            case Commit.Done:
                await worker.Offer(offer);
                break;
            case Commit.Refused:
                await worker.LeaseEnded(Id, 0, TaskOffers.OverCapacity);
                if (retryAfterFence)
                {
                    await OfferToPoolAsync([workerId], retryAfterFence: false);
                }

                break;
            default:
                await worker.LeaseEnded(Id, 0, "not_assignable");
                break;
        }
    }

    public async Task<WorkOutcome> AcceptOffer(string workerId, long lease)
    {
        if (Stale(workerId, lease) is { } refused)
        {
            return refused;
        }

        if (_task!.Status == TaskState.Running)
        {
            return WorkOutcome.Ok;
        }

        var now = time.GetUtcNow();
        var expires = now + LeaseWindow;
        var next = Advance(TaskState.Running, null, expires);
        next = next with { Body = next.Body with { LeaseExpiresAt = expires } };
        // Written with the result, or by the timer if the run takes longer (the offer's deadline still guards the row).
        _task = _unwritten = next;
        _writeRunning = this.RegisterGrainTimer(WriteRunningAsync, new GrainTimerCreationOptions(writeOptions.Value.RunningWriteDelay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        _lastProgress = now;
        await GrainFactory.GetGrain<IWorkerGrain>(workerId).Offer(TaskOffers.From(next));
        return WorkOutcome.Ok;
    }

    /// <summary>Writes the accepted offer on its own: the run outlasted <see cref="TaskWriteOptions.RunningWriteDelay"/>.</summary>
    private async Task WriteRunningAsync(CancellationToken ct)
    {
        if (_unwritten is { } running)
        {
            await CommitAsync(running, new Writes());
        }
    }

    public async Task<WorkOutcome> Progress(string workerId, long lease)
    {
        if (Stale(workerId, lease) is { } refused)
        {
            return refused;
        }

        if (_task!.Status == TaskState.Assigned)
        {
            // The worker runs it, so it accepted: this activation lost the acceptance (a restart before Running was
            // written). The run has gone on for a beat already, so it is written now.
            var accepted = await AcceptOffer(workerId, lease);
            await WriteRunningAsync(CancellationToken.None);
            return accepted;
        }

        // Beats stay in memory; only a lapse (seen by the sweeper) is written.
        _lastProgress = time.GetUtcNow();
        return WorkOutcome.Ok;
    }

    public async Task<WorkOutcome> Complete(WorkResult result)
    {
        var task = _task;
        // A result sent again (its acknowledgement lost) that the task already holds.
        if (task?.Body.Replicas?.Any(r => r.Lease == result.Lease && r.WorkerId == result.WorkerId && r.OutputSha256 == result.OutputSha256) == true)
        {
            return WorkOutcome.Ok;
        }

        if (Stale(result.WorkerId, result.Lease) is { } refused)
        {
            return refused;
        }

        if (task!.Status == TaskState.Assigned)
        {
            // A result for this lease means the offer was accepted, even if this activation never heard so (see Progress).
            await AcceptOffer(result.WorkerId, result.Lease);
            task = _task!;
        }

        var credentials = await GrainFactory.GetGrain<IWorkerGrain>(result.WorkerId).GetCredentials();
        if (Verify(task, result, credentials) is { } verdict)
        {
            if (verdict.Code != ProtocolCodes.PayloadTooLarge && credentials is not null)
            {
                await RecordTrustAsync(credentials.AccountId, result.WorkerId, TrustEvent.InvalidResult);
            }

            return verdict;
        }

        var outputId = ContentId.Of(result.Output);
        _unstoredOutput = (outputId, result.Output);
        bool done;
        try
        {
            var inline = result.Output.Length <= limits.Value.MaxInlineInputBytes ? result.Output : null;
            var replica = new ReplicaResult(result.WorkerId, credentials!.AccountId, result.Lease, outputId, result.OutputSha256, inline,
                new ResultProof(result.Signature, result.PowNonce, result.Output.Length));
            IReadOnlyList<ReplicaResult> replicas = [.. task.Body.Replicas ?? [], replica];
            if (replicas.Count < task.Spec.Replicas)
            {
                done = await NextReplicaAsync(replicas);
            }
            else
            {
                var spotCheck = task.Spec.Replicas == 1
                    && SpotChecks.ShouldCheck(await GrainFactory.GetGrain<ITrustGrain>(replica.AccountId).VerifiedStreak(), verification.Value,
                        RandomNumberGenerator.GetInt32(1_000_000) / 1_000_000.0);
                done = await JudgeAsync(replicas, ReplicaVerdict.Judge(replicas, spotCheck, null, platformGaveUp: false));
            }
        }
        finally
        {
            _unstoredOutput = null;
        }

        if (!done)
        {
            return WorkOutcome.Refused(ProtocolCodes.InvalidState, "The task changed while the result arrived.");
        }

        await GrainFactory.GetGrain<IWorkerGrain>(result.WorkerId).LeaseEnded(Id, result.Lease, TaskOffers.Completed);
        await AfterResultsAsync();
        return WorkOutcome.Ok;
    }

    public async Task RecordVerification(int round, ExecutionReport? report)
    {
        if (_verifying == round)
        {
            _verifying = null;
        }

        // A run that could not be made is tried again at the next deadline; one for an earlier round changes nothing.
        if (report is null || _task is not { Status: TaskState.Verifying } task || task.Body.Attempts.Count != round)
        {
            return;
        }

        var replicas = task.Body.Replicas ?? [];
        await JudgeAsync(replicas, ReplicaVerdict.Judge(replicas, spotCheck: true, report, platformGaveUp: false));
        await AfterResultsAsync();
    }

    /// <summary>What follows a result: the next replica is offered, or a completed task without a review window settles.</summary>
    private async Task AfterResultsAsync()
    {
        switch (_task)
        {
            case { Status: TaskState.Queued }:
                await OfferToPoolAsync([], retryAfterFence: true);
                break;
            case { Status: TaskState.Completed, Spec.ReviewSeconds: 0 }:
                await SettleAsync();
                break;
        }
    }

    /// <summary>A replica's result is in and more are needed: the task waits for a worker of another account.</summary>
    private async Task<bool> NextReplicaAsync(IReadOnlyList<ReplicaResult> replicas)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        var queueDeadline = now.AddSeconds(task.Spec.QueueTimeoutSeconds);
        var next = Advance(TaskState.Queued, new TaskReason("replica_recorded",
            $"{replicas.Count} of {task.Spec.Replicas} results are in; the next runs on a worker of another account."), queueDeadline);
        next = next with
        {
            Body = WithoutWorker(next.Body) with { QueueDeadline = queueDeadline, Replicas = replicas, Attempts = EndAttempt(task, AttemptOutcome.Succeeded, null, now) },
        };
        return await TransitionAsync(next);
    }

    /// <summary>Acts on a verdict over the results: complete with the right ones, have the platform run the task, or try again.</summary>
    private Task<bool> JudgeAsync(IReadOnlyList<ReplicaResult> replicas, ReplicaVerdict verdict) => verdict.Kind switch
    {
        VerdictKind.Accept => AcceptResultsAsync(replicas, verdict),
        VerdictKind.AskPlatform => StartVerifyingAsync(replicas, verdict.Note),
        _ => RejectResultsAsync(verdict),
    };

    private async Task<bool> AcceptResultsAsync(IReadOnlyList<ReplicaResult> replicas, ReplicaVerdict verdict)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        var chosen = verdict.Right[0];
        var reviewEnds = now.AddSeconds(task.Spec.ReviewSeconds);
        var reason = verdict.Verified ? new TaskReason("verified", verdict.Note) : verdict.Unchecked ? new TaskReason("unverified", verdict.Note) : null;
        var next = Advance(TaskState.Completed, reason, reviewEnds);
        next = next with
        {
            Body = WithoutWorker(next.Body) with
            {
                Result = new TaskResultView(chosen.Output, chosen.OutputId, chosen.OutputSha256, chosen.WorkerId),
                Proof = chosen.Proof,
                WorkerId = chosen.WorkerId,
                WorkerAccountId = chosen.AccountId,
                Replicas = replicas,
                Payees = [.. verdict.Right.Select(r => r.AccountId)],
                ReviewEndsAt = reviewEnds,
                VerifyBy = null,
                Attempts = task.Status == TaskState.Running ? EndAttempt(task, AttemptOutcome.Succeeded, null, now) : task.Body.Attempts,
            },
        };
        return await CommitAsync(next, new Writes(Verdicts: Judged(verdict))) == Commit.Done;
    }

    /// <summary>The platform runs the task itself (a spot check, or replicas that disagree); the task waits in Verifying.</summary>
    private async Task<bool> StartVerifyingAsync(IReadOnlyList<ReplicaResult> replicas, string note)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        var next = Advance(TaskState.Verifying, new TaskReason("verifying", note), now + verification.Value.RunCheck);
        next = next with
        {
            Body = WithoutWorker(next.Body) with
            {
                Replicas = replicas,
                VerifyBy = now + TimeSpan.FromSeconds(task.Spec.TimeoutSeconds) + verification.Value.Margin,
                Attempts = task.Status == TaskState.Running ? EndAttempt(task, AttemptOutcome.Succeeded, null, now) : task.Body.Attempts,
            },
        };
        if (!await TransitionAsync(next))
        {
            return false;
        }

        StartVerification();
        return true;
    }

    private void StartVerification()
    {
        var task = _task!;
        var round = task.Body.Attempts.Count;
        _verifying = round;
        var self = this.AsReference<ITaskGrain>();
        runner.Start(1, task.ClientId, Id, task.ModuleId, task.InputId, task.Spec, report => self.RecordVerification(round, report));
    }

    /// <summary>No result was right: the wrong ones cost their accounts trust and the task fails the attempt (retry or dead letter).</summary>
    private async Task<bool> RejectResultsAsync(ReplicaVerdict verdict)
    {
        var version = _task!.Version;
        await FailAsync(new TaskReason("wrong_result", verdict.Note), blame: null, Judged(verdict));
        return _task!.Version != version;
    }

    private static IReadOnlyList<TrustVerdict> Judged(ReplicaVerdict verdict) =>
    [
        .. verdict.Right.Select(r => new TrustVerdict(r.AccountId, r.WorkerId, TrustEvent.Succeeded, verdict.Verified)),
        .. verdict.Wrong.Select(r => new TrustVerdict(r.AccountId, r.WorkerId, TrustEvent.InvalidResult)),
    ];

    public async Task<WorkOutcome> Fail(string workerId, long lease, TaskReason error)
    {
        if (Stale(workerId, lease) is { } refused)
        {
            return refused;
        }

        // A failure the worker reports may be the module's doing: it costs the worker no trust.
        await FailAsync(error, blame: null);
        return WorkOutcome.Ok;
    }

    private async Task FailAsync(TaskReason error, TrustEvent? blame, IReadOnlyList<TrustVerdict>? verdicts = null)
    {
        var failed = _task!.Body.Attempts.Count(a => a.Outcome == AttemptOutcome.Failed) + 1;
        // The worker's own words are kept once, on the attempt; the task's reason names only their code.
        var reason = new TaskReason("attempt_failed", $"Attempt {_task.Body.Attempts.Count} failed ({error.Code}); the attempt says why.");
        if (failed >= _task.Spec.MaxAttempts)
        {
            await EndWithRefundAsync(TaskState.DeadLettered, new TaskReason("attempts_exhausted", $"All {_task.Spec.MaxAttempts} attempts failed; the last with {error.Code}."), AttemptOutcome.Failed, error, blame, verdicts);
        }
        else
        {
            await ScheduleRetryAsync(reason, error, failed, blame, verdicts);
        }
    }

    /// <summary>
    /// Task failed: the attempt ends and the task waits out its backoff in RetryWaiting. The wait is written as
    /// the task's next deadline in the same transaction, and a reminder with that due time starts the next
    /// attempt, so a crash at any point delays the retry by at most a sweep.
    /// </summary>
    private async Task ScheduleRetryAsync(TaskReason reason, TaskReason error, int failures, TrustEvent? blame, IReadOnlyList<TrustVerdict>? verdicts)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        var delay = Backoff.Delay(Id, failures);
        var at = now + delay;
        var next = Advance(TaskState.RetryWaiting, reason, at);
        // A failed attempt starts the replicas over: a deterministic task that failed once casts doubt on the others.
        next = next with { Body = WithoutWorker(next.Body) with { NextAttemptAt = at, Attempts = EndAttempt(task, AttemptOutcome.Failed, error, now), Replicas = null, VerifyBy = null } };
        if (await CommitAsync(next, new Writes(Blame: blame, Verdicts: verdicts)) == Commit.Done)
        {
            _sameAccount.Clear();
            await ReleaseWorkerAsync(task, reason.Code);
            await this.RegisterOrUpdateReminder(RetryReminder, delay, TimeSpan.FromMinutes(1));
        }
    }

    public async Task<WorkOutcome> Decline(string workerId, long lease)
    {
        if (Stale(workerId, lease) is { } refused)
        {
            return refused;
        }

        await LoseWorkerAsync(new TaskReason("declined", "The worker declined the task."));
        return WorkOutcome.Ok;
    }

    public Task<bool> LeaseAllows(string accountId, string contentId) =>
        Task.FromResult(_task is { Status: TaskState.Assigned or TaskState.Running } task
            && task.Body.WorkerAccountId == accountId && (contentId == task.ModuleId || contentId == task.InputId));

    public async Task Release(string workerId, long lease, bool vanished)
    {
        if (Stale(workerId, lease) is not null)
        {
            return;
        }

        await (vanished
            ? LoseWorkerAsync(new TaskReason("worker_lost", "The worker's connection dropped and it did not come back."), TrustEvent.LostLease)
            : LoseWorkerAsync(new TaskReason("worker_disconnected", "The worker closed its connection.")));
    }

    public async Task<DisputeActionResult> OpenDispute(OpenDispute command, string disputeId)
    {
        if (_task is null || _task.ClientId != command.ClientId)
        {
            return new DisputeActionResult(DisputeActionStatus.NotFound, null, null);
        }

        var task = _task;
        var now = time.GetUtcNow();
        if (task.Body.DisputeId is not null)
        {
            return new DisputeActionResult(DisputeActionStatus.AlreadyDisputed, null, "The task was disputed before; a task is disputed at most once.");
        }

        if (task.Status == TaskState.Settled || (task.Status == TaskState.Completed && now >= task.Body.ReviewEndsAt))
        {
            return new DisputeActionResult(DisputeActionStatus.ReviewWindowClosed, null,
                $"The review window closed at {task.Body.ReviewEndsAt:u}; the worker has been (or is being) paid.");
        }

        if (task.Status != TaskState.Completed)
        {
            return new DisputeActionResult(DisputeActionStatus.InvalidState, null, $"Only a Completed task can be disputed; this one is {task.Status}.");
        }

        var payees = PayeesOf(task);
        var dispute = new DisputeRecord(
            disputeId, Id, task.ClientId, task.Body.Result!.WorkerId, payees, 1, DisputeStatus.Open, command.Reason, null,
            new DisputeBody(command.Details, await EvidenceAsync(task), [.. payees.Select(p => WorkerOf(task, p))]),
            // Due at once: the dispute grain takes its first step now, or the sweepers make it.
            now, now, now);
        var next = Advance(TaskState.Disputed, new TaskReason("disputed", "The client disputed the result; the escrow is frozen until the dispute is decided."), dueAt: null);
        next = next with { Body = next.Body with { DisputeId = disputeId, Escrow = task.Body.Escrow with { State = EscrowState.Frozen } } };
        var tooMany = false;
        var writes = new Writes(
            Precondition: async tx =>
            {
                tooMany = !await DisputeStore.HasRoomAsync(tx, task.ClientId, limits.Value.MaxOpenDisputes, CancellationToken.None);
                return !tooMany && await ledger.FreezeAsync(tx, Id, task.EscrowGeneration, CancellationToken.None);
            },
            Also: async tx =>
            {
                await DisputeStore.InsertAsync(tx, dispute, CancellationToken.None);
                await DisputeEvents.AppendAsync(tx, dispute, "dispute.opened", now, CancellationToken.None);
            });
        return await CommitAsync(next, writes) switch
        {
            Commit.Done => new DisputeActionResult(DisputeActionStatus.Done, null, null),
            Commit.Refused when tooMany => new DisputeActionResult(DisputeActionStatus.TooManyOpen, null,
                $"An account may have {limits.Value.MaxOpenDisputes} disputes open at a time; wait for one to be resolved."),
            Commit.Refused => new DisputeActionResult(DisputeActionStatus.InvalidState, null, "The task's escrow is no longer held."),
            _ => new DisputeActionResult(DisputeActionStatus.InvalidState, null, "The task changed; read it again."),
        };
    }

    /// <summary>The evidence a dispute starts with: the task as run and the result as signed, its first bytes included.</summary>
    private async Task<DisputeEvidence> EvidenceAsync(TaskRecord task)
    {
        var result = task.Body.Result!;
        var output = result.Output ?? await ContentStore.ReadAnyAsync(db.DataSource, result.OutputId, CancellationToken.None) ?? [];
        var proof = task.Body.Proof ?? new ResultProof([], 0, output.Length);
        // The lease the kept result was signed for: with replicas, not necessarily the task's last one.
        var lease = task.Body.Replicas?.FirstOrDefault(r => r.WorkerId == result.WorkerId && r.OutputSha256 == result.OutputSha256)?.Lease ?? task.Body.Lease;
        var submitted = new SubmittedResult(
            result.OutputId, result.OutputSha256, proof.Size, output.AsSpan(0, Math.Min(output.Length, ExecutionReport.PreviewBytes)).ToArray(),
            lease, proof.Signature, proof.PowNonce);
        return new DisputeEvidence(task.ModuleId, task.InputId, task.Spec, task.Price, task.Fee, task.EscrowAmount, submitted, task.Body.Attempts, []);
    }

    public async Task<bool> ResolveDispute(DisputeSettlement settlement)
    {
        if (_task is null || _task.Body.DisputeId != settlement.DisputeId)
        {
            return false;
        }

        if (_task.Status != TaskState.Disputed)
        {
            // Applied before: the task ended with this dispute's decision.
            return _task.Status is TaskState.Settled or TaskState.Refunded;
        }

        var task = _task;
        var payees = PayeesOf(task);
        var split = Fees.Split(task.EscrowAmount, task.Price, task.Fee, settlement.WorkerShareBps, payees.Count);
        var paid = split.ToWorker + split.ToPlatform > 0;
        var escrow = split.ToClient == 0 ? EscrowState.Released : paid ? EscrowState.Split : EscrowState.Refunded;
        var reason = new TaskReason("dispute_" + DisputeWire.Name(settlement.Outcome), settlement.Outcome switch
        {
            DisputeOutcome.Refund => "The dispute was decided for the client: the escrow went back to the client.",
            DisputeOutcome.Release => "The dispute was decided for the worker: the escrow was released.",
            _ => $"The dispute was decided with a split: {settlement.WorkerShareBps / 100.0:0.##} % to the worker.",
        });
        var next = Advance(paid ? TaskState.Settled : TaskState.Refunded, reason, dueAt: null);
        next = next with { Body = next.Body with { Escrow = new EscrowView(escrow, task.EscrowAmount, split.ToWorker * payees.Count, split.ToClient, split.ToPlatform) } };
        var writes = new Writes(
            (tx, along) => ledger.DecideAsync(tx, settlement.DisputeId, Id, task.EscrowGeneration, payees, split, CancellationToken.None, along),
            split.ToClient, "dispute",
            Verdicts: settlement.AgainstWorker ? [.. payees.Select(p => new TrustVerdict(p, WorkerOf(task, p), TrustEvent.LostDispute))] : null);
        return await CommitAsync(next, writes) == Commit.Done || _task?.Status is TaskState.Settled or TaskState.Refunded;
    }

    /// <summary>A running lease lapses 15 s after the last progress, or at the task's timeout.</summary>
    private async Task CheckLeaseAsync()
    {
        var task = _task!;
        var now = time.GetUtcNow();
        // The run starts when the worker accepts; a timeout is the task's failure, and the worker is blamed only
        // for a lease that lapsed without progress (below), since a slow module is the client's doing.
        var started = task.Body.History.Last(h => h.Status == TaskState.Running).At;
        if (now > started.AddSeconds(task.Spec.TimeoutSeconds) + LeaseWindow)
        {
            await FailAsync(new TaskReason("timeout", $"The task ran longer than {task.Spec.TimeoutSeconds} s."), blame: null);
            return;
        }

        var expires = _lastProgress + LeaseWindow;
        if (expires > now)
        {
            await TransitionAsync(task with { Version = task.Version + 1, DueAt = expires, Body = task.Body with { LeaseExpiresAt = expires } });
            return;
        }

        await LoseWorkerAsync(new TaskReason("lease_expired", "The worker stopped reporting progress."), TrustEvent.LostLease);
    }

    /// <summary>Worker lost: offered again at once, avoiding that worker, until reassignments run out.</summary>
    private async Task LoseWorkerAsync(TaskReason reason, TrustEvent? blame = null)
    {
        if (_task!.Body.Reassignments + 1 > MaxReassignments)
        {
            await EndWithRefundAsync(TaskState.DeadLettered, new TaskReason("reassignments_exhausted", $"The task lost its worker {MaxReassignments} times; the last: {reason.Message}"), AttemptOutcome.WorkerLost, reason, blame);
            return;
        }

        await RequeueAsync(reason, blame);
    }

    private async Task RequeueAsync(TaskReason reason, TrustEvent? blame)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        var queueDeadline = now.AddSeconds(task.Spec.QueueTimeoutSeconds);
        var next = Advance(TaskState.Queued, reason, queueDeadline);
        next = next with
        {
            Body = WithoutWorker(next.Body) with
            {
                QueueDeadline = queueDeadline,
                Reassignments = task.Body.Reassignments + 1,
                Attempts = EndAttempt(task, AttemptOutcome.WorkerLost, reason, now),
            },
        };
        if (await CommitAsync(next, new Writes(Blame: blame)) == Commit.Done)
        {
            await ReleaseWorkerAsync(task, reason.Code);
            await OfferToPoolAsync([], retryAfterFence: true);
        }
    }

    private async Task EndWithRefundAsync(
        TaskState final, TaskReason reason, AttemptOutcome outcome, TaskReason error, TrustEvent? blame, IReadOnlyList<TrustVerdict>? verdicts = null)
    {
        var task = _task!;
        if (await RefundAsync(final, reason, body => body with { Attempts = EndAttempt(task, outcome, error, time.GetUtcNow()), LeaseExpiresAt = null, VerifyBy = null }, blame, verdicts))
        {
            await ReleaseWorkerAsync(task, reason.Code);
        }
    }

    private async Task ReleaseWorkerAsync(TaskRecord task, string reason)
    {
        if (task.Body.WorkerId is { } worker)
        {
            await GrainFactory.GetGrain<IWorkerGrain>(worker).LeaseEnded(task.Id, task.Body.Lease, reason);
        }
    }

    /// <summary>Refuses a message for a lease that is not the task's current one, or from another worker.</summary>
    private WorkOutcome? Stale(string workerId, long lease)
    {
        if (_task is null || _task.Status is not (TaskState.Assigned or TaskState.Running))
        {
            return WorkOutcome.Refused(ProtocolCodes.LeaseExpired, "The task holds no lease now.");
        }

        return _task.Body.Lease != lease || _task.Body.WorkerId != workerId
            ? WorkOutcome.Refused(ProtocolCodes.LeaseExpired, "That lease is not the task's current one.")
            : null;
    }

    private WorkOutcome? Verify(TaskRecord task, WorkResult result, WorkerCredentials? credentials)
    {
        if (result.Output.Length > limits.Value.MaxOutputBytes)
        {
            return WorkOutcome.Refused(ProtocolCodes.PayloadTooLarge, "The output is larger than the platform accepts.");
        }

        if (Convert.ToHexStringLower(SHA256.HashData(result.Output)) != result.OutputSha256)
        {
            return WorkOutcome.Refused(ProtocolCodes.ValidationFailed, "outputSha256 is not the SHA-256 of the output.");
        }

        if (credentials is null || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, credentials.PublicKey, KeyBlobFormat.RawPublicKey, out var publicKey)
            || !SignatureAlgorithm.Ed25519.Verify(publicKey!, WorkerProof.ResultMessage(task.Id, result.Lease, result.OutputSha256, result.PowNonce), result.Signature))
        {
            return WorkOutcome.Refused(ProtocolCodes.InvalidSignature, "The result signature does not verify with the worker's key.");
        }

        return WorkerProof.IsValidPow(task.Id, result.Lease, result.OutputSha256, result.WorkerId, result.PowNonce, WorkerProof.Difficulty(task.Price))
            ? null
            : WorkOutcome.Refused(ProtocolCodes.InvalidPow, "The proof of work does not meet the task's difficulty.");
    }

    /// <summary>The body once the attempt's worker no longer has the task: no lease holder, no offer or lease deadline.</summary>
    private static TaskBody WithoutWorker(TaskBody body) =>
        body with { WorkerId = null, WorkerAccountId = null, AcceptBy = null, LeaseExpiresAt = null };

    private static IReadOnlyList<AttemptView> EndAttempt(TaskRecord task, AttemptOutcome outcome, TaskReason? error, DateTimeOffset now) =>
        task.Body.Attempts.Count == 0
            ? task.Body.Attempts
            : [.. task.Body.Attempts.Take(task.Body.Attempts.Count - 1), task.Body.Attempts[^1] with { EndedAt = now, Outcome = outcome, Error = error }];

    /// <summary>Ends the task with its whole escrow (price and fee) back with the client.</summary>
    private async Task<bool> RefundAsync(
        TaskState final, TaskReason reason, Func<TaskBody, TaskBody>? change = null, TrustEvent? blame = null, IReadOnlyList<TrustVerdict>? verdicts = null)
    {
        var task = _task!;
        var next = Advance(final, reason, dueAt: null);
        var body = next.Body with { Escrow = task.Body.Escrow with { State = EscrowState.Refunded, ToClient = task.EscrowAmount } };
        next = next with { Body = change is null ? body : change(body) };
        return await CommitAsync(next, new Writes((tx, along) => ledger.RefundAsync(tx, task.Id, task.EscrowGeneration, CancellationToken.None, along), task.EscrowAmount, "refund", blame, Verdicts: verdicts)) == Commit.Done;
    }

    /// <summary>
    /// Pays each accepted result's account the price and the platform its fee; the price of replicas that were
    /// not accepted goes back to the client.
    /// </summary>
    private async Task<bool> SettleAsync()
    {
        var task = _task!;
        var payees = PayeesOf(task);
        var back = task.Price * (task.Spec.Replicas - payees.Count);
        var next = Advance(TaskState.Settled, null, dueAt: null);
        next = next with
        {
            Body = next.Body with
            {
                Escrow = task.Body.Escrow with { State = EscrowState.Released, ToWorker = task.Price * payees.Count, ToPlatform = task.Fee, ToClient = back == 0 ? null : back },
            },
        };
        IReadOnlyList<Payout> payouts = [.. payees.Select(p => new Payout(p, task.Price)), .. back == 0 ? Array.Empty<Payout>() : [new Payout(task.ClientId, back)]];
        return await CommitAsync(next, new Writes((tx, along) => ledger.ReleaseAsync(tx, task.Id, task.EscrowGeneration, payouts, task.Fee, CancellationToken.None, along), back, "release")) == Commit.Done;
    }

    /// <summary>The worker of a paid account's accepted result.</summary>
    private static string WorkerOf(TaskRecord task, string accountId) =>
        task.Body.Replicas?.FirstOrDefault(r => r.AccountId == accountId)?.WorkerId ?? task.Body.WorkerId ?? "";

    /// <summary>The accounts paid for a completed task: those whose results were accepted.</summary>
    private static IReadOnlyList<string> PayeesOf(TaskRecord task) =>
        task.Body.Payees ?? [task.Body.WorkerAccountId ?? throw new InvalidOperationException($"Task {task.Id} is Completed without a paid worker account.")];

    /// <summary>The next state of the task: a new version, a history line and its next deadline.</summary>
    private TaskRecord Advance(TaskState status, TaskReason? reason, DateTimeOffset? dueAt)
    {
        var task = _task!;
        var now = time.GetUtcNow();
        return task with
        {
            Version = task.Version + 1,
            Status = status,
            DueAt = dueAt,
            UpdatedAt = now,
            Body = task.Body with { Reason = reason ?? task.Body.Reason, History = [.. task.Body.History, new HistoryEntry(status, now, reason)] },
        };
    }

    private async Task<bool> TransitionAsync(TaskRecord next) => await CommitAsync(next, new Writes()) == Commit.Done;

    /// <summary>
    /// Commits one transition: its precondition and money first (a refused one changes nothing), then its fence, the
    /// row guarded by its version, the trust it moves and the events. Conflict (having reloaded the row) when another
    /// writer got there first. A transition that moves no money and lowers no trust shares a transaction with the
    /// transitions of other tasks when they arrive together (<see cref="GroupCommit"/>).
    /// </summary>
    private async Task<Commit> CommitAsync(TaskRecord next, Writes writes)
    {
        var current = _task!;
        var unwritten = _unwritten;
        var verdicts = VerdictsOf(current, writes);
        var transition = new Transition(current, next, unwritten, unwritten is null ? current.Version : unwritten.Version - 1,
            writes.FreeSlotOf, writes.Message, _unstoredOutput, time.GetUtcNow());
        var grouped = writes is { Money: null, Precondition: null, Also: null } && verdicts.All(v => v.Kind == TrustEvent.Succeeded)
            ? await group.CommitAsync(writes.FreeSlotOf ?? "", rows =>
            {
                var (fenced, update) = transition.Add(rows);
                return () => fenced() && update.RecordsAffected == 1;
            })
            : GroupCommit.Outcome.Declined;

        TaskRecord? reloaded = null;
        IReadOnlyList<(string AccountId, TrustStanding Standing)> lowered = [];
        var outcome = grouped switch
        {
            GroupCommit.Outcome.Committed => Commit.Done,
            GroupCommit.Outcome.Unknown => await ResolveAsync(),
            _ => await db.WriteAsync(async (tx, ct) =>
            {
                if (writes.Precondition is not null && !await writes.Precondition(tx))
                {
                    return Commit.Refused;
                }

                // The fence, the row, the output and the events go to the server together (with the transfer's journal when
                // money moves); a refused fence or a row another writer moved undoes them all.
                (Func<bool> Fenced, NpgsqlBatchCommand Update)? added = null;
                if (writes.Money is not null)
                {
                    var moved = await writes.Money(tx, new AlongWith(next.ClientId, (rows, balance) =>
                    {
                        added = transition.Add(rows);
                        if (transition.Announces)
                        {
                            AddBalanceEvent(rows, balance);
                        }
                    }));
                    if (moved.Status == TransferStatus.InsufficientFunds)
                    {
                        // Only a new hold can meet a short balance (a redrive); nothing is written.
                        return Commit.Refused;
                    }

                    EnsureMoved(moved);
                }

                if (added is null)
                {
                    // No money moved, or a transfer replayed: the transition goes on its own.
                    var rows = new StatementBatch(tx);
                    added = transition.Add(rows);
                    if (transition.Announces && writes.MoneyReason != "")
                    {
                        AddBalanceEvent(rows, await ledger.GetBalanceAsync(tx.Connection!, next.ClientId, ct));
                    }

                    await rows.ExecuteAsync(ct);
                }

                var (fenced, update) = added.Value;
                if (!fenced())
                {
                    return Commit.Refused;
                }

                if (update.RecordsAffected != 1)
                {
                    reloaded = await TaskStore.LoadAsync(tx.Connection!, Id, ct);
                    return Commit.Conflict;
                }

                if (writes.Also is not null)
                {
                    await writes.Also(tx);
                }

                lowered = await LowerTrustAsync(tx, verdicts);
                return Commit.Done;
            }, result => result == Commit.Done, CancellationToken.None, ResolveAsync),
        };

        if (outcome != Commit.Refused)
        {
            _unwritten = null;
            _writeRunning?.Dispose();
            _writeRunning = null;
        }

        if (outcome == Commit.Conflict)
        {
            _task = reloaded;
        }
        else if (outcome == Commit.Done)
        {
            _task = next;
            _unstoredOutput = null;
            if (next.Status is not (TaskState.Queued or TaskState.Assigned or TaskState.Running or TaskState.RetryWaiting))
            {
                // No offer needs it now; a later run (a redrive, a dispute's re-execution) reads the input from the store.
                _input = null;
            }

            foreach (var (account, standing) in lowered)
            {
                await GrainFactory.GetGrain<IWorkerListGrain>(account).TrustChanged(standing);
            }

            // What raises trust is recorded by the trust grains after commit: trust may lag, never overstate.
            foreach (var success in verdicts.Where(v => v.Kind == TrustEvent.Succeeded && v.AccountId != current.ClientId))
            {
                await GrainFactory.GetGrain<ITrustGrain>(success.AccountId).Succeeded(success.WorkerId, Id, success.Verified);
            }
        }

        return outcome;

        // Any transfer moves the client's escrow even when nothing comes back to its available balance.
        void AddBalanceEvent(StatementBatch rows, Balance? balance) =>
            BalanceEvents.Add(rows, next.ClientId, balance, writes.ClientDelta, writes.MoneyReason, next.Id, "task:" + next.Id, next.Version, transition.At);

        // Only this grain writes the row, each write raising its version: the row says whether it committed.
        async Task<Commit> ResolveAsync()
        {
            reloaded = await LoadAsync();
            if (reloaded?.Version == next.Version)
            {
                return Commit.Done;
            }

            // The successes it would have recorded are let go with it.
            verdicts = [];
            return Commit.Conflict;
        }
    }

    private Task<TaskRecord?> LoadAsync() => db.ReadAsync((connection, ct) => TaskStore.LoadAsync(connection, Id, ct), CancellationToken.None);

    /// <summary>
    /// The trust a transition moves: of the account whose worker had the attempt (<see cref="Writes.Blame"/>) and of
    /// every account judged with it (<see cref="Writes.Verdicts"/>).
    /// </summary>
    private static List<TrustVerdict> VerdictsOf(TaskRecord attempt, Writes writes)
    {
        var verdicts = new List<TrustVerdict>(writes.Verdicts ?? []);
        if (writes.Blame is { } kind && attempt.Body.WorkerAccountId is { } account)
        {
            verdicts.Insert(0, new TrustVerdict(account, attempt.Body.WorkerId ?? "", kind));
        }

        return verdicts;
    }

    /// <summary>What lowers trust is written with the transition; nobody earns trust on their own tasks.</summary>
    private async Task<IReadOnlyList<(string AccountId, TrustStanding Standing)>> LowerTrustAsync(NpgsqlTransaction tx, IReadOnlyList<TrustVerdict> verdicts)
    {
        var lowered = new List<(string, TrustStanding)>();
        foreach (var verdict in verdicts.Where(v => v.Kind != TrustEvent.Succeeded))
        {
            lowered.Add((verdict.AccountId, await TrustStore.RecordAsync(tx, verdict, Id, time.GetUtcNow(), CancellationToken.None)));
        }

        return lowered;
    }

    /// <summary>A trust change that is not part of a transition (a result that did not verify).</summary>
    private async Task RecordTrustAsync(string accountId, string workerId, TrustEvent kind)
    {
        var standing = await db.WriteAsync((tx, ct) => TrustStore.RecordAsync(tx, new TrustVerdict(accountId, workerId, kind), Id, time.GetUtcNow(), ct), _ => true, CancellationToken.None);
        await GrainFactory.GetGrain<IWorkerListGrain>(accountId).TrustChanged(standing);
    }

    /// <summary>The task's state, to its client's topic.</summary>
    private static void AddEvent(StatementBatch batch, TaskRecord task, DateTimeOffset at) =>
        Outbox.Add(batch, "account:" + task.ClientId, TaskEvents.KindOf(task.Status), "task:" + task.Id, task.Version, new
        {
            taskId = task.Id, status = task.Status.ToString(), workerCell = task.WorkerCell is { } cell ? new { lat = cell.Lat, lon = cell.Lon } : null,
        }, at);

    /// <summary>A transfer the task's own state allows must go through; anything else is a broken invariant.</summary>
    private void EnsureMoved(TransferResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Task {Id}: the ledger refused a transfer the task's state allows ({result.Status}).");
        }
    }

    private enum Commit
    {
        Done,
        Conflict,
        Refused,
    }

    /// <summary>What a transition writes besides the task row: a precondition, a transfer, trust, and any other row that belongs with it.</summary>
    private sealed record Writes(
        Func<NpgsqlTransaction, AlongWith, Task<TransferResult>>? Money = null,
        long ClientDelta = 0,
        string MoneyReason = "",
        TrustEvent? Blame = null,
        Func<NpgsqlTransaction, Task<bool>>? Precondition = null,
        Func<NpgsqlTransaction, Task>? Also = null,
        IReadOnlyList<TrustVerdict>? Verdicts = null,
        string? FreeSlotOf = null,
        (string Topic, TopicEvent Event)? Message = null);

    /// <summary>
    /// The statements of one transition, captured when it was decided (a group may add them off the grain's
    /// turn, and more than once if its transaction is retried).
    /// </summary>
    /// <param name="FreeSlotOf">The worker that must have a free slot (the capacity fence of an assignment).</param>
    /// <param name="Message">A message on a topic's stream that is not history (the offer of an assignment).</param>
    private sealed record Transition(
        TaskRecord Current, TaskRecord Next, TaskRecord? Unwritten, long StoredVersion, string? FreeSlotOf,
        (string Topic, TopicEvent Event)? Message, (string Id, byte[] Bytes)? Output, DateTimeOffset At)
    {
        /// <summary>Whether the transition tells the client of its state (a status change, or an acceptance written late).</summary>
        public bool Announces => Next.Status != Current.Status || ReferenceEquals(Next, Unwritten);

        /// <summary>The fence first (its count must not see this lease), then the row, the output and the events.</summary>
        public (Func<bool> Fenced, NpgsqlBatchCommand Update) Add(StatementBatch rows)
        {
            var fenced = FreeSlotOf is null ? () => true : WorkerStore.AddFreeSlotCheck(rows, FreeSlotOf);
            var update = TaskStore.Update(rows, Next, StoredVersion);
            if (Output is var (outputId, output))
            {
                ContentStore.StoreAndGrant(rows, outputId, output, ContentKind.Blob, Next.ClientId, Next.UpdatedAt);
            }

            if (Unwritten is not null && !ReferenceEquals(Unwritten, Next))
            {
                AddEvent(rows, Unwritten, At);
            }

            if (Announces)
            {
                AddEvent(rows, Next, At);
            }

            if (Message is var (topic, message))
            {
                Outbox.AddMessage(rows, topic, message);
            }

            return (fenced, update);
        }
    }

    private TaskActionResult Done() => new(TaskActionStatus.Done, _task!.ToView(), null);

    private TaskActionResult Refused(TaskActionStatus status, string detail) => new(status, _task!.ToView(), detail);
}
