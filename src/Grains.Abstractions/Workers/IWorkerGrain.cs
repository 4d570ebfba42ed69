using Orleans.Concurrency;

namespace Gstd.Workers;

/// <summary>One worker: its registration, and (as work arrives) its connection, capacity and leases.</summary>
[Alias("gstd.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Registers a worker under this grain's id, or answers the worker that already holds the key.</summary>
    [Alias("Register")]
    Task<RegistrationResult> Register(RegisterWorker request);

    /// <summary>The worker as <paramref name="accountId"/> may see it; null when it does not exist or is not theirs.</summary>
    [Alias("Get")]
    Task<WorkerView?> Get(string accountId, bool isAdmin);

    /// <summary>Suspends or resumes the worker (admins); null when it does not exist.</summary>
    [Alias("SetStatus")]
    Task<WorkerView?> SetStatus(WorkerStatus status);

    /// <summary>
    /// Changes how many tasks the worker runs at once (its owner); null when it does not exist or is not theirs.
    /// Raising it lets waiting tasks in at once; lowering it ends no lease, it only stops new ones.
    /// </summary>
    [Alias("SetCapacity")]
    Task<WorkerView?> SetCapacity(string accountId, int capacity);

    /// <summary>
    /// Takes the worker out of service for good (its account was disabled): suspended, offline, and every offer and lease
    /// handed back at once so its tasks go to other workers.
    /// </summary>
    [Alias("Retire")]
    Task Retire();

    /// <summary>Who runs the worker and the key it signs with; null when it does not exist.</summary>
    [Alias("GetCredentials")]
    Task<WorkerCredentials?> GetCredentials();

    /// <summary>
    /// Binds an agent's connection after its signed hello (the signature over the server's nonce proves it
    /// holds the worker's key); a newer connection replaces an older one. The open offers and leases go out again on
    /// the worker's stream, to which the connection subscribed first. False when the account, key or signature is wrong.
    /// </summary>
    [Alias("Connect")]
    Task<bool> Connect(IWorkerSession session, string accountId, string nonce, byte[] signature);

    /// <summary>
    /// The connection ended. A clean close ends the worker's leases at once; an abrupt one keeps them until
    /// they expire, so the agent can reconnect and go on.
    /// </summary>
    [Alias("Disconnect")]
    Task Disconnect(IWorkerSession session, bool clean);

    /// <summary>
    /// The gateway's periodic sign that the agent's socket is alive; false when this grain is not bound to that
    /// socket (a fresh activation after a silo crash), which the gateway answers with a full <see cref="Connect"/>.
    /// A worker without a heartbeat for 15 s goes offline.
    /// </summary>
    [Alias("Heartbeat")]
    Task<bool> Heartbeat(IWorkerSession session);

    /// <summary>The account's trust changed (for any of its workers): the pool hears the new weight.</summary>
    [Alias("TrustChanged"), OneWay]
    Task TrustChanged(Trust.TrustStanding standing);

    /// <summary>
    /// Reserves a slot for a task if the worker is connected, active, trusted enough and not full. In memory,
    /// no database write; the assignment's transaction checks capacity again under a lock.
    /// </summary>
    [Alias("TryReserve")]
    Task<bool> TryReserve(string taskId);

    /// <summary>
    /// An offer (or a lease after acceptance) of one of the worker's tasks, to hold in its slot. The task wrote the offer
    /// to the worker's stream with the assignment; the worker sends its open offers again when its agent reconnects.
    /// </summary>
    [Alias("Offer"), OneWay]
    Task Offer(TaskOffer offer);

    /// <summary>The task no longer needs the worker's slot.</summary>
    [Alias("LeaseEnded"), OneWay]
    Task LeaseEnded(string taskId, long lease, string reason);
}

/// <summary>The workers of one account (keyed by the account id).</summary>
[Alias("gstd.IWorkerListGrain")]
public interface IWorkerListGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<IReadOnlyList<WorkerView>> List();

    /// <summary>Tells every worker of the account its new trust.</summary>
    [Alias("TrustChanged"), OneWay]
    Task TrustChanged(Trust.TrustStanding standing);
}

/// <summary>A worker's operator account (which is paid), its raw 32-byte Ed25519 public key and its rounded location.</summary>
[GenerateSerializer, Immutable, Alias("gstd.WorkerCredentials")]
public sealed record WorkerCredentials([property: Id(0)] string AccountId, [property: Id(1)] byte[] PublicKey, [property: Id(2)] Tasks.GeoCell? Location);
