using Gstd.Identity;
using Gstd.Ledger;

namespace Gstd.Accounts;

/// <summary>
/// One account: its profile, roles, API keys and its view of the ledger. Methods answer null for an
/// account that does not exist, so callers can map that to 404 without a second lookup.
/// </summary>
[Alias("gstd.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account with one full-scope key; null if the id is already taken.</summary>
    [Alias("Create")]
    Task<CreatedAccount?> Create(NewAccount request);

    [Alias("Get")]
    Task<AccountView?> Get();

    [Alias("ListKeys")]
    Task<IReadOnlyList<ApiKeyView>?> ListKeys();

    [Alias("CreateKey")]
    Task<CreatedApiKey?> CreateKey(KeyScope scope);

    /// <summary>True when the key belongs to this account (revoking twice is true again); false when not.</summary>
    [Alias("RevokeKey")]
    Task<bool> RevokeKey(string keyId);

    /// <summary>
    /// Disables the account (admins): its keys stop working, its sockets close, its workers are suspended and hand their
    /// leases back; its money stays. Answers when it was disabled (the first time), or null when there is no such account.
    /// </summary>
    [Alias("Disable")]
    Task<DateTimeOffset?> Disable();

    /// <summary>Whether a key of this account still works (not revoked, the account not disabled).</summary>
    [Alias("IsKeyActive")]
    Task<bool> IsKeyActive(string keyId);

    [Alias("ApproveWorker")]
    Task<AccountView?> ApproveWorker();

    [Alias("Deposit")]
    Task<DepositResult> Deposit(long amount, string reference);

    [Alias("GetLedgerEntries")]
    Task<LedgerPage?> GetLedgerEntries(LedgerQuery query);

    /// <summary>Every bucket of the range, empty ones included; null when the account does not exist.</summary>
    [Alias("GetSpend")]
    Task<IReadOnlyList<SpendBucket>?> GetSpend(SpendQuery query);
}
