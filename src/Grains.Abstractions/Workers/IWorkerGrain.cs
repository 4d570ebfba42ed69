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
}

/// <summary>The workers of one account (keyed by the account id).</summary>
[Alias("gstd.IWorkerListGrain")]
public interface IWorkerListGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<IReadOnlyList<WorkerView>> List();
}
