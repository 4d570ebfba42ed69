using Gstd.Identity;

namespace Gstd.Grains.Accounts;

/// <summary>The last <see cref="Kept"/> revocations in memory, numbered; see <see cref="IRevocationsGrain"/>.</summary>
public sealed class RevocationsGrain : Grain, IRevocationsGrain
{
    private const int Kept = 10_000;
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly Queue<Revocation> _recent = new();
    private long _position;

    public Task Record(Revocation revocation)
    {
        _recent.Enqueue(revocation);
        _position++;
        if (_recent.Count > Kept)
        {
            _recent.Dequeue();
        }

        return Task.CompletedTask;
    }

    public Task<RevocationPage> Since(Guid epoch, long position)
    {
        var oldest = _position - _recent.Count;
        if (epoch != _epoch || position < oldest || position > _position)
        {
            return Task.FromResult(new RevocationPage(_epoch, _position, [], Complete: false));
        }

        return Task.FromResult(new RevocationPage(_epoch, _position, [.. _recent.Skip((int)(position - oldest))], Complete: true));
    }
}
