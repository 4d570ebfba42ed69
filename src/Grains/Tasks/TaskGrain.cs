using Gstd.Content;
using Gstd.Grains.Content;
using Gstd.Grains.Ledger;
using Gstd.Grains.Realtime;
using Gstd.Tasks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gstd.Grains.Tasks;

/// <summary>
/// One task's state machine. The row in <c>tasks</c> is the truth; this grain is its single writer and
/// keeps the last committed row in memory. Each transition is one transaction: the row (guarded by its
/// version), the ledger transfer, the outbox events and the next deadline.
/// </summary>
public sealed class TaskGrain(NpgsqlDataSource dataSource, LedgerStore ledger, IOptions<PlatformLimits> limits, TimeProvider time)
    : Grain, ITaskGrain
{
    private TaskRecord? _task;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _task = await TaskStore.LoadAsync(connection, Id, cancellationToken);
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

        if (!await ContentStore.IsGrantedAsync(dataSource, command.ModuleId, ContentKind.Module, command.ClientId, CancellationToken.None))
        {
            return new SubmitResult(SubmitStatus.ModuleNotFound, null);
        }

        if (!await ContentStore.IsGrantedAsync(dataSource, command.InputId, ContentKind.Blob, command.ClientId, CancellationToken.None))
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

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await TaskStore.InsertAsync(tx, task, CancellationToken.None);
        var hold = await ledger.HoldAsync(tx, Id, task.EscrowGeneration, task.ClientId, task.EscrowAmount, CancellationToken.None);
        if (hold.Status == TransferStatus.InsufficientFunds)
        {
            await tx.RollbackAsync();
            return new SubmitResult(SubmitStatus.InsufficientFunds, null);
        }

        EnsureMoved(hold);
        await AppendEventsAsync(tx, task, -task.EscrowAmount, "hold");
        await tx.CommitAsync();
        _task = task;
        return new SubmitResult(SubmitStatus.Created, task.ToView());
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

        await RefundAsync(TaskState.Cancelled, new TaskReason("cancelled", "The client cancelled the task."));
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
        }
    }

    /// <summary>Ends the task with its whole escrow (price and fee) back with the client.</summary>
    private Task<bool> RefundAsync(TaskState final, TaskReason reason)
    {
        var task = _task!;
        var next = Advance(final, reason, dueAt: null);
        next = next with { Body = next.Body with { Escrow = task.Body.Escrow with { State = EscrowState.Refunded, ToClient = task.EscrowAmount } } };
        return TransitionAsync(next, tx => ledger.RefundAsync(tx, task.Id, task.EscrowGeneration, CancellationToken.None), task.EscrowAmount, "refund");
    }

    /// <summary>Pays the worker its price and the platform its fee.</summary>
    private Task<bool> SettleAsync()
    {
        var task = _task!;
        var worker = task.Body.Result?.WorkerId ?? throw new InvalidOperationException($"Task {task.Id} is Completed without a result.");
        var next = Advance(TaskState.Settled, null, dueAt: null);
        next = next with { Body = next.Body with { Escrow = task.Body.Escrow with { State = EscrowState.Released, ToWorker = task.Price * task.Spec.Replicas, ToPlatform = task.Fee } } };
        return TransitionAsync(next, tx => ledger.ReleaseAsync(tx, task.Id, task.EscrowGeneration, [new Payout(worker, task.Price * task.Spec.Replicas)], task.Fee, CancellationToken.None), 0, "release");
    }

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

    /// <summary>
    /// Commits one transition: money first (a refused transfer changes nothing), then the row guarded by its
    /// version, then the events. Answers false, having reloaded the row, when another writer got there first.
    /// </summary>
    private async Task<bool> TransitionAsync(TaskRecord next, Func<NpgsqlTransaction, Task<TransferResult>> money, long clientDelta, string moneyReason)
    {
        var current = _task!;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        EnsureMoved(await money(tx));
        if (!await TaskStore.UpdateAsync(tx, next, current.Version, CancellationToken.None))
        {
            await tx.RollbackAsync();
            _task = await TaskStore.LoadAsync(connection, Id, CancellationToken.None);
            return false;
        }

        await AppendEventsAsync(tx, next, clientDelta, moneyReason);
        await tx.CommitAsync();
        _task = next;
        return true;
    }

    private async Task AppendEventsAsync(NpgsqlTransaction tx, TaskRecord task, long clientDelta, string moneyReason)
    {
        var topic = "account:" + task.ClientId;
        var source = "task:" + task.Id;
        var now = time.GetUtcNow();
        await Outbox.AppendAsync(tx, topic, TaskEvents.KindOf(task.Status), source, task.Version, new { taskId = task.Id, status = task.Status.ToString() }, now, CancellationToken.None);
        if (clientDelta != 0)
        {
            var balance = await ledger.GetBalanceAsync(tx.Connection!, task.ClientId, CancellationToken.None);
            await Outbox.AppendAsync(tx, topic, "balance.changed", source, task.Version,
                new { available = balance?.Available, escrow = balance?.Escrow, delta = clientDelta, reason = moneyReason, taskId = task.Id }, now, CancellationToken.None);
        }
    }

    /// <summary>A transfer the task's own state allows must go through; anything else is a broken invariant.</summary>
    private void EnsureMoved(TransferResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Task {Id}: the ledger refused a transfer the task's state allows ({result.Status}).");
        }
    }

    private TaskActionResult Done() => new(TaskActionStatus.Done, _task!.ToView(), null);

    private TaskActionResult Refused(TaskActionStatus status, string detail) => new(status, _task!.ToView(), detail);
}
