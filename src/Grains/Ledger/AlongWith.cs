using Gstd.Accounts;
using Gstd.Grains.Storage;

namespace Gstd.Grains.Ledger;

/// <summary>
/// Statements that belong with a transfer (the task's own row and events), sent with its journal once it is applied;
/// <see cref="Add"/> is given the balance of <see cref="BalanceOf"/> after the transfer (null for an unknown user).
/// </summary>
public sealed record AlongWith(string BalanceOf, Action<StatementBatch, Balance?> Add);
