using Gstd.Workers;
using NSec.Cryptography;
using Npgsql;

namespace Gstd.Grains.Workers;

/// <summary>One worker: its registration, kept in the workers table so a public key is registered once.</summary>
public sealed class WorkerGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, IWorkerGrain
{
    private WorkerRecord? _worker;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _worker = await WorkerStore.GetAsync(dataSource, this.GetPrimaryKeyString(), cancellationToken);

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
