using Gstd.Grains.Balancing;
using Gstd.Grains.Realtime;
using Gstd.Grains.Storage;
using Gstd.Grains.Tasks;
using Gstd.Grains.Trust;
using Gstd.Network;
using Gstd.Protocol;
using Gstd.Realtime;
using Gstd.Tasks;
using Gstd.Trust;
using Gstd.Workers;
using NSec.Cryptography;
using Npgsql;
using Orleans.Streams;

namespace Gstd.Grains.Workers;

/// <summary>
/// One worker. Its registration lives in the workers table (so a public key is registered once) and its trust on
/// its account; its connection, heartbeat and slots are soft state: the slots are rebuilt from the tasks table on
/// activation, and the pools hear from a connected worker every few seconds, so neither depends on surviving a
/// crash. What it says to its agent (offers, leases, revocations) goes on the worker's stream, which the agent's
/// connection follows.
/// </summary>
public sealed class WorkerGrain(NpgsqlDataSource dataSource, Postgres db, TimeProvider time) : Grain, IWorkerGrain
{
    /// <summary>A worker whose gateway has not vouched for its socket for this long is offline.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A reservation no offer confirmed within this long was lost on the way to its task.</summary>
    public static readonly TimeSpan ReservationWindow = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A worker whose socket dropped without a close has this long to come back (to any silo) before its leases
    /// go to other workers: long enough for the agent's first reconnect, far shorter than a lease's 15 s.
    /// </summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan AnnounceEvery = TimeSpan.FromSeconds(5);

    /// <summary>Every this many announcements the slots are checked against the tasks table (a lost message heals).</summary>
    private const int ResyncEveryTicks = 12;
    private const int TrustHistoryShown = 20;

    private WorkerSlots _slots = new(0);
    private WorkerRecord? _worker;
    private IWorkerSession? _session;
    /// <summary>The gateway's last word for this worker, on the monotonic clock (a wall-clock step is not silence).</summary>
    private long _heartbeat;
    private IGrainTimer? _announcer;
    private IGrainTimer? _vanishing;
    private int _ticks;
    private IAsyncStream<TopicEvent>? _agent;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _agent = this.GetStreamProvider(TopicStreams.Provider).GetStream<TopicEvent>(TopicStreams.StreamOf("worker:" + this.GetPrimaryKeyString()));
        _worker = await WorkerStore.GetAsync(dataSource, this.GetPrimaryKeyString(), cancellationToken);
        if (_worker is not null)
        {
            _slots = await HeldSlotsAsync(_worker, cancellationToken);
        }
    }

    public Task<WorkerCredentials?> GetCredentials() =>
        Task.FromResult(_worker is null ? null : new WorkerCredentials(_worker.AccountId, _worker.PublicKey, _worker.Location));

    public async Task<bool> Connect(IWorkerSession session, string accountId, string nonce, byte[] signature)
    {
        if (_worker is not { Status: WorkerStatus.Active } || _worker.AccountId != accountId
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, _worker.PublicKey, KeyBlobFormat.RawPublicKey, out var key)
            || !SignatureAlgorithm.Ed25519.Verify(key!, WorkerProof.HelloMessage(_worker.Id, nonce), signature))
        {
            return false;
        }

        if (_session is not null && !_session.Equals(session))
        {
            _ = _session.Replaced();
        }

        var cameOnline = _session is null;
        _session = session;
        _vanishing?.Dispose();
        _vanishing = null;
        _heartbeat = time.GetTimestamp();
        _announcer ??= this.RegisterGrainTimer(_ => TickAsync(), new GrainTimerCreationOptions(AnnounceEvery, AnnounceEvery) { KeepAlive = true });
        await AnnounceAsync();
        if (cameOnline)
        {
            await PublishPresenceAsync("worker.online");
        }

        await SendOffersAsync(_slots.Offers);
        return true;
    }

    public Task<bool> Heartbeat(IWorkerSession session)
    {
        if (_session is null || !_session.Equals(session))
        {
            return Task.FromResult(false);
        }

        _heartbeat = time.GetTimestamp();
        return Task.FromResult(true);
    }

    public async Task Disconnect(IWorkerSession session, bool clean)
    {
        if (!Equals(_session, session))
        {
            return;
        }

        await GoOfflineAsync();
        if (clean)
        {
            await ReleaseOffersAsync(vanished: false);
        }
        else
        {
            _vanishing ??= this.RegisterGrainTimer(_ => VanishedAsync(), new GrainTimerCreationOptions(ReconnectGrace, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    public async Task Retire()
    {
        if (_worker is null)
        {
            return;
        }

        await SetStatus(WorkerStatus.Suspended);
        if (_session is { } session)
        {
            _ = session.Replaced();
            await GoOfflineAsync();
        }

        await ReleaseOffersAsync(vanished: false);
    }

    private async Task VanishedAsync()
    {
        _vanishing?.Dispose();
        _vanishing = null;
        if (_session is null)
        {
            await ReleaseOffersAsync(vanished: true);
        }
    }

    private async Task ReleaseOffersAsync(bool vanished)
    {
        foreach (var offer in _slots.Offers.ToList())
        {
            await GrainFactory.GetGrain<ITaskGrain>(offer.TaskId).Release(this.GetPrimaryKeyString(), offer.Lease, vanished);
        }
    }

    public Task<bool> TryReserve(string taskId) =>
        Task.FromResult(_session is not null && _worker is { Status: WorkerStatus.Active } worker
            && TrustModel.ReceivesWork(worker.StandingAt(time.GetUtcNow())) && _slots.TryReserve(taskId, time.GetUtcNow()));

    public async Task Offer(TaskOffer offer)
    {
        // Nothing to send: the offer went on the worker's stream in its assignment's transaction, and the agent
        // knows a lease from the answer to its accept.
        _slots.Hold(offer, time.GetUtcNow());
        if (_session is null && _vanishing is null)
        {
            // Reserved while the worker was here, confirmed after it left and its leases went back: this one too.
            await GrainFactory.GetGrain<ITaskGrain>(offer.TaskId).Release(this.GetPrimaryKeyString(), offer.Lease, vanished: false);
        }
    }

    /// <summary>
    /// Puts offers on the worker's stream for a connected agent. If the write fails the offer is not lost: an
    /// unaccepted one is offered elsewhere at its deadline, and the gateway's next hello sends the open ones again.
    /// </summary>
    private async Task SendOffersAsync(IEnumerable<TaskOffer> offers)
    {
        var now = time.GetUtcNow();
        var events = offers.Select(offer => AgentEvents.Offer(offer, now)).ToList();
        if (_session is not null && events.Count > 0)
        {
            await _agent!.OnNextBatchAsync(events);
        }
    }

    public async Task LeaseEnded(string taskId, long lease, string reason)
    {
        if (reason == TaskOffers.OverCapacity)
        {
            // The database refused an assignment this picture allowed: it missed a lease, so read them again.
            await ResyncAsync();
        }
        else
        {
            var (freed, held) = _slots.End(taskId, lease);
            if (!freed)
            {
                return;
            }

            if (held is not null && _session is not null && reason != TaskOffers.Completed)
            {
                await _agent!.OnNextAsync(AgentEvents.Revocation(taskId, held.Lease, reason, time.GetUtcNow()));
            }
        }

        await AnnounceAsync();
    }

    public async Task TrustChanged(TrustStanding standing)
    {
        if (_worker is null || standing.UpdatedAt < _worker.Standing.UpdatedAt)
        {
            return;
        }

        _worker = _worker with { Standing = standing };
        await AnnounceAsync();
    }

    private async Task TickAsync()
    {
        if (time.GetElapsedTime(_heartbeat) > HeartbeatTimeout)
        {
            // The gateway holding the socket went quiet (or died): offline. Leases run out on their own.
            await GoOfflineAsync();
            return;
        }

        _slots.ExpireReservations(time.GetUtcNow(), ReservationWindow);
        if (++_ticks % ResyncEveryTicks == 0)
        {
            await ResyncAsync();
        }

        await AnnounceAsync();
    }

    private async Task ResyncAsync()
    {
        if (_worker is null)
        {
            return;
        }

        var held = (await TaskStore.HeldByAsync(dataSource, _worker.Id, CancellationToken.None)).Select(task => TaskOffers.From(task)).ToList();
        await SendOffersAsync(_slots.Resync(held, time.GetUtcNow()));
    }

    private async Task GoOfflineAsync()
    {
        var wasOnline = _session is not null;
        _session = null;
        _announcer?.Dispose();
        _announcer = null;
        foreach (var pool in Pools)
        {
            await pool.WorkerGone(this.GetPrimaryKeyString());
        }

        ReportPresence(online: false);
        if (wasOnline)
        {
            await PublishPresenceAsync("worker.offline");
        }
    }

    /// <summary>Tells the operator's screens on the worker's topic that it connected or went away.</summary>
    private async Task PublishPresenceAsync(string kind)
    {
        var id = this.GetPrimaryKeyString();
        var now = time.GetUtcNow();
        await db.WriteAsync(async (tx, ct) =>
        {
            await Outbox.AppendAsync(tx, "worker:" + id, kind, "presence:" + id, now.UtcTicks, new { workerId = id }, now, ct);
            return true;
        }, _ => true, CancellationToken.None);
    }

    /// <summary>Tells the worker's pools its free slots and trust — or that it takes no work while below the floor.</summary>
    private async Task AnnounceAsync()
    {
        if (_session is null || _worker is not { Status: WorkerStatus.Active } worker)
        {
            return;
        }

        ReportPresence(online: true);
        // Decayed to now, so an idle account drifts back toward the prior (and off the floor) with no event.
        var standing = worker.StandingAt(time.GetUtcNow());
        foreach (var pool in Pools)
        {
            await (TrustModel.ReceivesWork(standing)
                ? pool.WorkerAvailable(new PoolWorker(worker.Id, _slots.Free, TrustModel.Score(standing)))
                : pool.WorkerGone(worker.Id));
        }
    }

    /// <summary>Workers with a location show on the public network map.</summary>
    private void ReportPresence(bool online)
    {
        if (_worker?.Location is { } cell)
        {
            _ = GrainFactory.GetGrain<INetworkMapGrain>(0).Report(new WorkerPresence(_worker.Id, cell, online, _slots.Count));
        }
    }

    private IEnumerable<IWorkerPoolGrain> Pools =>
        (_worker?.Capabilities ?? []).Select(capability => GrainFactory.GetGrain<IWorkerPoolGrain>(capability));

    private async Task<WorkerSlots> HeldSlotsAsync(WorkerRecord worker, CancellationToken ct)
    {
        var slots = new WorkerSlots(worker.Capacity);
        var now = time.GetUtcNow();
        foreach (var task in await TaskStore.HeldByAsync(dataSource, worker.Id, ct))
        {
            slots.Hold(TaskOffers.From(task), now);
        }

        return slots;
    }

    public async Task<RegistrationResult> Register(RegisterWorker request)
    {
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, request.PublicKey, KeyBlobFormat.RawPublicKey, out _))
        {
            return new RegistrationResult(RegistrationStatus.InvalidKey, null);
        }

        if (_worker is null)
        {
            var worker = new WorkerRecord(this.GetPrimaryKeyString(), request.AccountId, request.PublicKey, request.Name,
                request.Capabilities, request.Capacity, request.Location, WorkerStatus.Active, TrustModel.Initial(time.GetUtcNow()), time.GetUtcNow());
            if (await WorkerStore.InsertAsync(dataSource, worker, CancellationToken.None))
            {
                _worker = await WorkerStore.GetAsync(dataSource, worker.Id, CancellationToken.None);
                _slots = new WorkerSlots(_worker!.Capacity);
                return new RegistrationResult(RegistrationStatus.Created, _worker!.ToView(time.GetUtcNow()));
            }
        }

        // The key is registered already (by this grain's worker or another): registration is idempotent by key.
        var existing = await WorkerStore.GetByKeyAsync(dataSource, request.PublicKey, CancellationToken.None);
        return existing is not null && existing.AccountId == request.AccountId
            ? new RegistrationResult(RegistrationStatus.Existing, existing.ToView(time.GetUtcNow()))
            : new RegistrationResult(RegistrationStatus.KeyTaken, null);
    }

    public async Task<WorkerView?> Get(string accountId, bool isAdmin)
    {
        if (_worker is null || !(isAdmin || _worker.AccountId == accountId))
        {
            return null;
        }

        // Read afresh: trust moves in other grains' transactions and reaches this one a moment later.
        _worker = await WorkerStore.GetAsync(dataSource, _worker.Id, CancellationToken.None) ?? _worker;
        var history = await TrustStore.RecentAsync(dataSource, _worker.AccountId, TrustHistoryShown, CancellationToken.None);
        var (completed, settled, earned) = await WorkerStore.TotalsAsync(dataSource, _worker.Id, CancellationToken.None);
        return _worker.ToView(time.GetUtcNow(), new WorkerActivity(_session is not null, _slots.Offers.Count(), history, completed, settled, earned));
    }

    public async Task<WorkerView?> SetCapacity(string accountId, int capacity)
    {
        if (_worker is null || _worker.AccountId != accountId)
        {
            return null;
        }

        await WorkerStore.SetCapacityAsync(dataSource, _worker.Id, capacity, CancellationToken.None);
        _worker = _worker with { Capacity = capacity };
        _slots.Capacity = capacity;
        await AnnounceAsync();
        return _worker.ToView(time.GetUtcNow());
    }

    public async Task<WorkerView?> SetStatus(WorkerStatus status)
    {
        if (_worker is null)
        {
            return null;
        }

        await WorkerStore.SetStatusAsync(dataSource, _worker.Id, status, CancellationToken.None);
        _worker = _worker with { Status = status };
        if (status == WorkerStatus.Suspended)
        {
            foreach (var pool in Pools)
            {
                await pool.WorkerGone(_worker.Id);
            }
        }
        else
        {
            await AnnounceAsync();
        }

        return _worker.ToView(time.GetUtcNow());
    }
}
