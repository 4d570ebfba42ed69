using Gstd.Accounts;
using Gstd.Identity;
using Gstd.Protocol;
using Gstd.Workers;
using Npgsql;
using NSec.Cryptography;

namespace Gstd.Bench.Balancer;

/// <summary>
/// Registers and connects workers through their grains, as agents would through the gateway, and keeps them
/// online with a heartbeat every few seconds, as their gateways would.
/// </summary>
public sealed class BenchWorkers(IGrainFactory grains, IWorkerSession session, NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private readonly List<string> _online = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _heartbeats;

    /// <summary>
    /// Adds <paramref name="count"/> workers offering <paramref name="capability"/> (their pool's key). With
    /// <paramref name="trustOf"/>, each worker gets an account of its own whose evidence is set to that
    /// (successes, failures); otherwise they share one new account.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddAsync(string capability, int count, int capacity, Func<int, (double, double)>? trustOf = null)
    {
        _heartbeats ??= HeartbeatAsync(_stopping.Token);
        var shared = trustOf is null ? await AccountAsync(null) : null;
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var account = shared ?? await AccountAsync(trustOf!(i));
            using var key = Key.Create(SignatureAlgorithm.Ed25519);
            var registered = await grains.GetGrain<IWorkerGrain>(Ids.New("wrk")).Register(new RegisterWorker(
                account, $"{capability}-{i}", key.PublicKey.Export(KeyBlobFormat.RawPublicKey), [capability], capacity, null));
            var id = registered.Worker!.Id;
            var nonce = Guid.NewGuid().ToString("N");
            if (!await grains.GetGrain<IWorkerGrain>(id).Connect(session, account, nonce, SignatureAlgorithm.Ed25519.Sign(key, WorkerProof.HelloMessage(id, nonce))))
            {
                throw new InvalidOperationException($"Worker {id} could not connect.");
            }

            ids[i] = id;
            lock (_online)
            {
                _online.Add(id);
            }
        });

        return ids;
    }

    private async Task<string> AccountAsync((double Successes, double Failures)? evidence)
    {
        var account = Ids.New("acc");
        await grains.GetGrain<IAccountGrain>(account).Create(new NewAccount("bench operator", AccountRoles.Worker, true));
        if (evidence is { } e)
        {
            await using var cmd = dataSource.CreateCommand(
                "UPDATE accounts SET trust_successes = @s, trust_failures = @f, trust_updated_at = now() WHERE id = @id");
            cmd.Parameters.AddWithValue("s", e.Successes);
            cmd.Parameters.AddWithValue("f", e.Failures);
            cmd.Parameters.AddWithValue("id", account);
            await cmd.ExecuteNonQueryAsync();
        }

        return account;
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            string[] online;
            lock (_online)
            {
                online = [.. _online];
            }

            await Parallel.ForEachAsync(online, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
                await grains.GetGrain<IWorkerGrain>(id).Heartbeat(session));
            await Task.Delay(TimeSpan.FromSeconds(4), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_heartbeats is not null)
        {
            await _heartbeats;
        }

        _stopping.Dispose();
    }
}
