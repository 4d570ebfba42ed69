using Npgsql;

namespace Gstd.Grains.Storage;

/// <summary>The connection failed while committing: the transaction may or may not have taken effect.</summary>
public sealed class CommitOutcomeUnknownException(NpgsqlException inner)
    : Exception("The connection failed during COMMIT; the transaction may or may not have taken effect.", inner);
