namespace Gstd.Grains.Ledger;

/// <summary>The chart of accounts (DESIGN.md §5).</summary>
public static class LedgerAccounts
{
    public const string PlatformFees = "platform:fees";
    public const string ExternalDeposits = "external:deposits";

    public static string Available(string userId) => $"user:{userId}:available";

    public static bool IsAvailable(string account) => account.StartsWith("user:", StringComparison.Ordinal) && account.EndsWith(":available", StringComparison.Ordinal);

    public static string Escrow(string taskId, int generation) => $"task:{taskId}:g{generation}:escrow";

    /// <summary>System accounts keep no balance row; their balance is the sum of their journal lines.</summary>
    public static bool IsSystem(string account) => account is PlatformFees or ExternalDeposits;
}
