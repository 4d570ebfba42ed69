using Gstd.Grains.Tasks;
using Gstd.Protocol;
using Gstd.Tasks;
using Gstd.Workers;
using NSec.Cryptography;
using Npgsql;

namespace Gstd.Grains.Workers;

/// <summary>
/// One worker. Its registration lives in the workers table (so a public key is registered once); its
/// connection and slots are soft state: the slots are rebuilt from the tasks table on activation, and the
/// pool hears from a connected worker every few seconds, so neither depends on surviving a crash.
/// </summary>
public sealed class WorkerGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IWorkerGrain
{
    private static readonly TimeSpan AnnounceEvery = TimeSpan.FromSeconds(5);

    /// <summary>Reserved, offered and leased tasks; a reservation has no offer yet.</summary>
    private readonly Dictionary<string, TaskOffer?> _slots = new(StringComparer.Ordinal);
    private WorkerRecord? _worker;
    private IWorkerSession? _session;
    private IGrainTimer? _announcer;

    private IWorkerPoolGrain Pool => GrainFactory.GetGrain<IWorkerPoolGrain>(IWorkerPoolGrain.Wasm);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _worker = await WorkerStore.GetAsync(dataSource, this.GetPrimaryKeyString(), cancellationToken);
        if (_worker is not null)
        {
            foreach (var task in await TaskStore.HeldByAsync(dataSource, _worker.Id, cancellationToken))
            {
                _slots[task.Id] = TaskOffers.From(task);
            }
        }
    }

    public Task<WorkerCredentials?> GetCredentials() =>
        Task.FromResult(_worker is null ? null : new WorkerCredentials(_worker.AccountId, _worker.PublicKey, _worker.Location));

    public async Task<IReadOnlyList<TaskOffer>?> Connect(IWorkerSession session, string accountId, string nonce, byte[] signature)
    {
        if (_worker is not { Status: WorkerStatus.Active } || _worker.AccountId != accountId
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, _worker.PublicKey, KeyBlobFormat.RawPublicKey, out var key)
            || !SignatureAlgorithm.Ed25519.Verify(key!, WorkerProof.HelloMessage(_worker.Id, nonce), signature))
        {
            return null;
        }

        if (_session is not null && !_session.Equals(session))
        {
            _ = _session.Replaced();
        }

        _session = session;
        _announcer ??= this.RegisterGrainTimer(_ => AnnounceAsync(), new GrainTimerCreationOptions(AnnounceEvery, AnnounceEvery) { KeepAlive = true });
        await AnnounceAsync();
        return _slots.Values.OfType<TaskOffer>().ToList();
    }

    public async Task Disconnect(IWorkerSession session, bool clean)
    {
        if (!Equals(_session, session))
        {
            return;
        }

        _session = null;
        _announcer?.Dispose();
        _announcer = null;
        await Pool.WorkerGone(this.GetPrimaryKeyString());
        if (clean)
        {
            foreach (var offer in _slots.Values.OfType<TaskOffer>())
            {
                await GrainFactory.GetGrain<ITaskGrain>(offer.TaskId).Release(this.GetPrimaryKeyString(), offer.Lease);
            }
        }
    }

    public Task<bool> TryReserve(string taskId)
    {
        if (_session is null || _worker is not { Status: WorkerStatus.Active } || _slots.Count >= _worker.Capacity)
        {
            return Task.FromResult(false);
        }

        _slots.TryAdd(taskId, null);
        return Task.FromResult(true);
    }

    public Task Offer(TaskOffer offer)
    {
        _slots[offer.TaskId] = offer;
        _session?.Offered(offer);
        return Task.CompletedTask;
    }

    public async Task LeaseEnded(string taskId, long lease, string reason)
    {
        if (_slots.TryGetValue(taskId, out var held) && (held is null || held.Lease == lease || lease == 0))
        {
            _slots.Remove(taskId);
            if (held is not null)
            {
                _session?.Revoked(taskId, held.Lease, reason);
            }

            await AnnounceAsync();
        }
    }

    private Task AnnounceAsync() =>
        _session is null || _worker is not { Status: WorkerStatus.Active }
            ? Task.CompletedTask
            : Pool.WorkerAvailable(new PoolWorker(_worker.Id, _worker.Capacity - _slots.Count, _worker.Trust));

    public async Task<RegistrationResult> Register(RegisterWorker request)
    {
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, request.PublicKey, KeyBlobFormat.RawPublicKey, out _))
        {
            return new RegistrationResult(RegistrationStatus.InvalidKey, null);
        }

        if (_worker is null)
        {
            var worker = new WorkerRecord(this.GetPrimaryKeyString(), request.AccountId, request.PublicKey, request.Name,
                request.Capabilities, request.Capacity, request.Location, WorkerStatus.Active, 0, time.GetUtcNow());
            if (await WorkerStore.InsertAsync(dataSource, worker, CancellationToken.None))
            {
                _worker = await WorkerStore.GetAsync(dataSource, worker.Id, CancellationToken.None);
                return new RegistrationResult(RegistrationStatus.Created, _worker!.ToView());
            }
        }

        // The key is registered already (by this grain's worker or another): registration is idempotent by key.
        var existing = await WorkerStore.GetByKeyAsync(dataSource, request.PublicKey, CancellationToken.None);
        return existing is not null && existing.AccountId == request.AccountId
            ? new RegistrationResult(RegistrationStatus.Existing, existing.ToView())
            : new RegistrationResult(RegistrationStatus.KeyTaken, null);
    }

    public Task<WorkerView?> Get(string accountId, bool isAdmin) =>
        Task.FromResult(_worker is not null && (isAdmin || _worker.AccountId == accountId) ? _worker.ToView() : null);

    public async Task<WorkerView?> SetStatus(WorkerStatus status)
    {
        if (_worker is null)
        {
            return null;
        }

        await WorkerStore.SetStatusAsync(dataSource, _worker.Id, status, CancellationToken.None);
        _worker = _worker with { Status = status };
        return _worker.ToView();
    }
}
