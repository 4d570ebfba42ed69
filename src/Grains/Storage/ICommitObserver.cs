using Npgsql;

namespace Gstd.Grains.Storage;

/// <summary>
/// Told of each transaction <see cref="Postgres"/> committed, as soon as its COMMIT returned: for work that must
/// follow a commit and never precede it. Called on the writer's path, so it must be quick and must not throw.
/// </summary>
public interface ICommitObserver
{
    void Committed(NpgsqlTransaction tx);
}
