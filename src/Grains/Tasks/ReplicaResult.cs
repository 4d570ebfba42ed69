namespace Gstd.Grains.Tasks;

/// <summary>
/// One verified result (signature, proof of work and hash checked) delivered for the task: one per replica,
/// each from a different worker of a different account.
/// </summary>
public sealed record ReplicaResult(
    string WorkerId,
    string AccountId,
    long Lease,
    string OutputId,
    string OutputSha256,
    byte[]? Output,
    ResultProof Proof);
