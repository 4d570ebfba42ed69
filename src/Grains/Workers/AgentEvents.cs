using Gstd.Grains.Realtime;
using Gstd.Realtime;
using Gstd.Workers;

namespace Gstd.Grains.Workers;

/// <summary>
/// What a worker's grain says to its agent on the worker's stream: offers and leases (<c>task.offered</c>) and
/// revocations (<c>task.revoked</c>). They are not history (offset 0): the payload is the whole event object, and a
/// reconnecting agent gets its open offers again from task state.
/// </summary>
public static class AgentEvents
{
    public const string Offered = "task.offered";
    public const string Revoked = "task.revoked";

    public static TopicEvent Offer(TaskOffer offer, DateTimeOffset at) => Event(Offered, at, new
    {
        id = $"{offer.TaskId}:{offer.Lease}:{(offer.Accepted ? "lease" : "offer")}",
        kind = Offered,
        at,
        taskId = offer.TaskId,
        lease = offer.Lease,
        moduleId = offer.ModuleId,
        inputId = offer.InputId,
        input = offer.Input is { } input ? Convert.ToBase64String(input) : null,
        limits = new { offer.Limits.TimeoutSeconds, offer.Limits.MaxFuel, offer.Limits.MemoryLimitMb },
        seed = offer.Seed,
        powDifficulty = offer.PowDifficulty,
        acceptBy = offer.AcceptBy,
        leaseExpiresAt = offer.LeaseExpiresAt,
        accepted = offer.Accepted,
    });

    public static TopicEvent Revocation(string taskId, long lease, string reason, DateTimeOffset at) =>
        Event(Revoked, at, new { id = $"{taskId}:{lease}:revoked", kind = Revoked, at, taskId, lease, reason });

    private static TopicEvent Event(string kind, DateTimeOffset at, object payload) => new(0, kind, at, Outbox.PayloadOf(payload), 0);
}
