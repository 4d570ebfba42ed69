using Gstd.Disputes;
using Gstd.Grains.Realtime;
using Npgsql;

namespace Gstd.Grains.Disputes;

/// <summary>
/// <c>dispute.opened</c>, <c>dispute.escalated</c> and <c>dispute.resolved</c>, each to the client's account,
/// the topic of every worker paid for the result, and <c>admin</c>, in the transaction of the change.
/// </summary>
public static class DisputeEvents
{
    public static async Task AppendAsync(NpgsqlTransaction tx, DisputeRecord dispute, string kind, DateTimeOffset now, CancellationToken ct)
    {
        var payload = new
        {
            disputeId = dispute.Id,
            taskId = dispute.TaskId,
            workerId = dispute.WorkerId,
            status = dispute.Status.ToString(),
            reason = DisputeWire.Name(dispute.Reason),
            outcome = dispute.Body.Outcome is { } outcome ? DisputeWire.Name(outcome) : null,
            workerShare = DisputeWire.Share(dispute.Body.WorkerShareBps),
        };
        foreach (var topic in dispute.Body.PaidWorkers.Select(w => "worker:" + w).Prepend("account:" + dispute.ClientId).Append("admin"))
        {
            await Outbox.AppendAsync(tx, topic, kind, "dispute:" + dispute.Id, dispute.Version, payload, now, ct);
        }
    }
}
