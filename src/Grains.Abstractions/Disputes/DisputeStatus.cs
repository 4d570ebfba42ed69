namespace Gstd.Disputes;

/// <summary>Where a dispute is: Open → AutoReviewing → Resolved, or → AwaitingArbitration → Resolved.</summary>
[GenerateSerializer, Alias("gstd.DisputeStatus")]
public enum DisputeStatus
{
    /// <summary>The escrow is frozen; the dispute has not yet started its review.</summary>
    Open = 0,
    /// <summary>The platform is re-executing the task to see whose output is right.</summary>
    AutoReviewing = 1,
    /// <summary>Waiting for an admin's decision, or the default outcome at the deadline.</summary>
    AwaitingArbitration = 2,
    Resolved = 3,
}

/// <summary>What the client claims: <c>wrong_output</c> is reviewed automatically, <c>other</c> goes to an admin.</summary>
[GenerateSerializer, Alias("gstd.DisputeReason")]
public enum DisputeReason
{
    WrongOutput = 0,
    Other = 1,
}

/// <summary>How the frozen escrow is paid out: all back to the client, all to the worker, or split by a share.</summary>
[GenerateSerializer, Alias("gstd.DisputeOutcome")]
public enum DisputeOutcome
{
    Refund = 0,
    Release = 1,
    Split = 2,
}
