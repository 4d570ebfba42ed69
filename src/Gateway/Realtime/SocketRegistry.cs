using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gstd.Gateway.Realtime;

/// <summary>
/// The open sockets of this silo by account: at most <see cref="GatewayOptions.SocketsPerAccount"/> each, found again
/// when their key is revoked or their account disabled (<see cref="RevocationWatcher"/>). Also the message budget of
/// every socket (<see cref="GatewayOptions.SocketMessagesPerSecond"/>, <see cref="GatewayOptions.WorkerSocketMessagesPerSecond"/> once
/// bound to a worker), kept in one limiter with one timer for all.
/// </summary>
public sealed class SocketRegistry : IDisposable
{
    private readonly Dictionary<string, HashSet<SocketSession>> _byAccount = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _perAccount;

    public SocketRegistry(IOptions<GatewayOptions> options)
    {
        _perAccount = options.Value.SocketsPerAccount;
        var rate = options.Value.SocketMessagesPerSecond;
        var workerRate = options.Value.WorkerSocketMessagesPerSecond;
        // A socket's budget is per what it is: binding to a worker moves it to a partition of the worker's budget.
        Messages = PartitionedRateLimiter.Create<SocketSession, (SocketSession, bool)>(session =>
            RateLimitPartition.GetTokenBucketLimiter((session, session.IsBoundToWorker), key => Bucket(key.Item2 ? workerRate : rate)));
    }

    private static TokenBucketRateLimiterOptions Bucket(int rate) => new()
    {
        TokenLimit = 2 * rate,
        TokensPerPeriod = rate,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };

    /// <summary>One permit per message a socket sends.</summary>
    public PartitionedRateLimiter<SocketSession> Messages { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byAccount.Values.Sum(s => s.Count);
            }
        }
    }

    /// <summary>Adds a socket unless its account has as many open here as it may.</summary>
    public bool TryAdd(SocketSession session)
    {
        lock (_lock)
        {
            if (!_byAccount.TryGetValue(session.AccountId, out var sessions))
            {
                sessions = [];
                _byAccount[session.AccountId] = sessions;
            }

            return sessions.Count < _perAccount && sessions.Add(session);
        }
    }

    public void Remove(SocketSession session)
    {
        lock (_lock)
        {
            if (_byAccount.TryGetValue(session.AccountId, out var sessions) && sessions.Remove(session) && sessions.Count == 0)
            {
                _byAccount.Remove(session.AccountId);
            }
        }
    }

    /// <summary>The sockets of an account, or only those opened with <paramref name="keyId"/>.</summary>
    public IReadOnlyList<SocketSession> Of(string accountId, string? keyId = null)
    {
        lock (_lock)
        {
            return _byAccount.TryGetValue(accountId, out var sessions) ? [.. sessions.Where(s => keyId is null || s.KeyId == keyId)] : [];
        }
    }

    public IReadOnlyList<SocketSession> All()
    {
        lock (_lock)
        {
            return [.. _byAccount.Values.SelectMany(s => s)];
        }
    }

    public void Dispose() => Messages.Dispose();
}
