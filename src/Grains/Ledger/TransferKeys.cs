namespace Gstd.Grains.Ledger;

/// <summary>Business keys of transfers: one key per operation, so a repeat moves nothing.</summary>
public static class TransferKeys
{
    public static string Deposit(string reference) => $"deposit:{reference}";

    public static string Hold(string taskId, int generation) => $"task:{taskId}:g{generation}:hold";

    public static string Release(string taskId, int generation) => $"task:{taskId}:g{generation}:release";

    public static string Refund(string taskId, int generation) => $"task:{taskId}:g{generation}:refund";

    public static string DisputeDecision(string disputeId) => $"dispute:{disputeId}:decision";
}
