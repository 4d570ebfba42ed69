using Gstd.Accounts;
using Gstd.Ledger;
using Gstd.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Gstd.Grains.Ledger;

/// <summary>
/// The double-entry ledger. Every transfer runs inside the caller's transaction (READ COMMITTED), is keyed
/// by its business id, locks the rows it debits in id order and updates them conditionally, and credits the rest
/// without waiting for them (pending credits, see CreditWithoutWaiting), so no balance goes negative, no key moves
/// money twice, and the journal always sums to zero.
/// </summary>
public sealed class LedgerStore(TimeProvider time)
{
    private enum Escrow
    {
        /// <summary>Release and refund: the escrow must be held and not frozen.</summary>
        MustBeHeldUnfrozen,
        /// <summary>A dispute decision: the escrow must be held and frozen.</summary>
        MustBeFrozen,
    }

    /// <summary>Creates the available-funds account of a new user.</summary>
    public async Task OpenUserAccountAsync(NpgsqlTransaction tx, string userId, CancellationToken ct)
    {
        await using var cmd = Command(tx, """
            INSERT INTO ledger_accounts (id, kind, owner_id, created_at)
            VALUES (@id, 'available', @owner, @at)
            ON CONFLICT (id) DO NOTHING
            """);
        cmd.Parameters.AddWithValue("id", LedgerAccounts.Available(userId));
        cmd.Parameters.AddWithValue("owner", userId);
        cmd.Parameters.AddWithValue("at", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Credits a user from outside the platform; idempotent by the deposit's reference.</summary>
    public Task<TransferResult> DepositAsync(NpgsqlTransaction tx, string userId, long amount, string reference, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var lines = new[]
        {
            new JournalLine(LedgerAccounts.ExternalDeposits, -amount),
            new JournalLine(LedgerAccounts.Available(userId), amount),
        };
        return TransferAsync(tx, TransferKeys.Deposit(reference), "deposit", null, lines, _ => null, ct);
    }

    /// <summary>Moves a task's price and fee from the client's available funds into a new escrow generation.</summary>
    public async Task<TransferResult> HoldAsync(
        NpgsqlTransaction tx, string taskId, int generation, string clientId, long amount, CancellationToken ct, AlongWith? along = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        var escrow = LedgerAccounts.Escrow(taskId, generation);
        // The escrow account is opened with the claim, in its round trip.
        var open = new StatementBatch(tx);
        var account = open.Add("""
            INSERT INTO ledger_accounts (id, kind, owner_id, task_id, state, created_at)
            VALUES (@id, 'escrow', @owner, @task, 'Held', @at)
            ON CONFLICT (id) DO NOTHING
            """);
        account.Parameters.AddWithValue("id", escrow);
        account.Parameters.AddWithValue("owner", clientId);
        account.Parameters.AddWithValue("task", taskId);
        account.Parameters.AddWithValue("at", time.GetUtcNow());

        var lines = new[] { new JournalLine(LedgerAccounts.Available(clientId), -amount), new JournalLine(escrow, amount) };
        return await TransferAsync(tx, TransferKeys.Hold(taskId, generation), "hold", taskId, lines,
            rows => rows[escrow].State == "Held" && rows[escrow].Balance == 0 ? null : TransferStatus.EscrowNotHeld, ct, along, open);
    }

    /// <summary>
    /// Pays verified work: each payout to its account (the workers, and the client for the price of replicas
    /// that were not paid), the fee to the platform; empties the escrow.
    /// </summary>
    public Task<TransferResult> ReleaseAsync(
        NpgsqlTransaction tx, string taskId, int generation, IReadOnlyList<Payout> payouts, long fee, CancellationToken ct, AlongWith? along = null)
    {
        var lines = new List<JournalLine>(payouts.Select(p => new JournalLine(LedgerAccounts.Available(p.UserId), p.Amount)))
        {
            new(LedgerAccounts.PlatformFees, fee),
        };
        return EmptyEscrowAsync(tx, TransferKeys.Release(taskId, generation), "release", taskId, generation,
            lines, "Released", Escrow.MustBeHeldUnfrozen, along, ct);
    }

    /// <summary>Returns the whole escrow (price and fee) to the client who paid it.</summary>
    public async Task<TransferResult> RefundAsync(NpgsqlTransaction tx, string taskId, int generation, CancellationToken ct, AlongWith? along = null)
    {
        var owner = await EscrowOwnerAsync(tx, taskId, generation, ct);
        if (owner is null)
        {
            return TransferResult.Failed(TransferStatus.EscrowNotHeld);
        }

        return await EmptyEscrowAsync(tx, TransferKeys.Refund(taskId, generation), "refund", taskId, generation,
            [new JournalLine(LedgerAccounts.Available(owner.Value.OwnerId), owner.Value.Balance)],
            "Refunded", Escrow.MustBeHeldUnfrozen, along, ct);
    }

    /// <summary>Freezes a held escrow for a dispute; false when it is not held (already settled or unknown).</summary>
    public async Task<bool> FreezeAsync(NpgsqlTransaction tx, string taskId, int generation, CancellationToken ct)
    {
        await using var cmd = Command(tx, """
            UPDATE ledger_accounts SET frozen = true
            WHERE id = @id AND kind = 'escrow' AND state = 'Held'
            """);
        cmd.Parameters.AddWithValue("id", LedgerAccounts.Escrow(taskId, generation));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// A dispute's decision on a frozen escrow: the only transfer a frozen escrow allows. Each paid worker gets
    /// <see cref="SplitAmounts.ToWorker"/>, the platform <see cref="SplitAmounts.ToPlatform"/> and the
    /// client the rest; the escrow ends empty and unfrozen.
    /// </summary>
    public async Task<TransferResult> DecideAsync(
        NpgsqlTransaction tx, string disputeId, string taskId, int generation, IReadOnlyList<string> workerUserIds, SplitAmounts split, CancellationToken ct,
        AlongWith? along = null)
    {
        var owner = await EscrowOwnerAsync(tx, taskId, generation, ct);
        if (owner is null)
        {
            return TransferResult.Failed(TransferStatus.EscrowNotHeld);
        }

        var lines = new List<JournalLine>(workerUserIds.Select(w => new JournalLine(LedgerAccounts.Available(w), split.ToWorker)))
        {
            new(LedgerAccounts.PlatformFees, split.ToPlatform),
            new(LedgerAccounts.Available(owner.Value.OwnerId), split.ToClient),
        };
        var state = split.ToClient == 0 ? "Released" : split.ToWorker == 0 && split.ToPlatform == 0 ? "Refunded" : "Split";
        return await EmptyEscrowAsync(tx, TransferKeys.DisputeDecision(disputeId), "decision", taskId, generation,
            lines, state, Escrow.MustBeFrozen, along, ct);
    }

    /// <summary>
    /// An account's available funds and the escrow held for its tasks; null for an unknown user. Only held escrows
    /// carry money (settling one empties it), so only they are summed.
    /// </summary>
    public async Task<Balance?> GetBalanceAsync(NpgsqlConnection connection, string userId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { BalanceQuery(userId) } };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return ReadBalance(reader);
    }

    /// <summary>The balance of account row <c>a</c>: its own and the pending credits not yet folded into it.</summary>
    private const string AvailableWithPending =
        "(a.balance + COALESCE((SELECT sum(c.amount) FROM ledger_credits c WHERE c.account = a.id), 0))::bigint";

    private static NpgsqlBatchCommand BalanceQuery(string userId)
    {
        var query = new NpgsqlBatchCommand($"""
            SELECT
                (SELECT {AvailableWithPending} FROM ledger_accounts a WHERE a.id = @available),
                (SELECT COALESCE(sum(balance), 0)::bigint FROM ledger_accounts WHERE owner_id = @owner AND kind = 'escrow' AND state = 'Held')
            """);
        query.Parameters.AddWithValue("available", LedgerAccounts.Available(userId));
        query.Parameters.AddWithValue("owner", userId);
        return query;
    }

    private static Balance? ReadBalance(NpgsqlDataReader reader) =>
        reader.IsDBNull(0) ? null : new Balance(reader.GetInt64(0), reader.GetInt64(1));

    private async Task<TransferResult> EmptyEscrowAsync(
        NpgsqlTransaction tx, string key, string kind, string taskId, int generation,
        IReadOnlyList<JournalLine> credits, string finalState, Escrow rule, AlongWith? along, CancellationToken ct)
    {
        var escrow = LedgerAccounts.Escrow(taskId, generation);
        var total = credits.Sum(l => l.Amount);
        var lines = credits.Prepend(new JournalLine(escrow, -total)).ToArray();
        return await TransferAsync(tx, key, kind, taskId, lines, rows =>
        {
            if (!rows.TryGetValue(escrow, out var row) || row.State != "Held")
            {
                return TransferStatus.EscrowNotHeld;
            }

            if (rule == Escrow.MustBeHeldUnfrozen && row.Frozen)
            {
                return TransferStatus.EscrowFrozen;
            }

            if (rule == Escrow.MustBeFrozen && !row.Frozen)
            {
                return TransferStatus.EscrowNotFrozen;
            }

            return row.Balance == total ? null : TransferStatus.AmountMismatch;
        }, ct, along, applied: batch =>
        {
            var close = batch.Add("UPDATE ledger_accounts SET state = @state, frozen = false WHERE id = @id");
            close.Parameters.AddWithValue("state", finalState);
            close.Parameters.AddWithValue("id", escrow);
        });
    }

    private static async Task<(string OwnerId, long Balance)?> EscrowOwnerAsync(
        NpgsqlTransaction tx, string taskId, int generation, CancellationToken ct)
    {
        await using var cmd = Command(tx, "SELECT owner_id, balance FROM ledger_accounts WHERE id = @id AND kind = 'escrow'");
        cmd.Parameters.AddWithValue("id", LedgerAccounts.Escrow(taskId, generation));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>
    /// The one place money moves. Claims the key first (a concurrent claim of the same key waits for the
    /// first to finish, then replays it), locks the balance rows in id order, lets the caller's rule
    /// veto, then writes the journal and the balances in the caller's transaction. Statements the caller has
    /// <paramref name="before"/> the claim go in its round trip; those it adds when the transfer is
    /// <paramref name="applied"/> go with the journal's, and so do the caller's statements <paramref name="along"/> with it.
    /// </summary>
    private async Task<TransferResult> TransferAsync(
        NpgsqlTransaction tx, string key, string kind, string? taskId, IReadOnlyList<JournalLine> requested,
        Func<IReadOnlyDictionary<string, AccountRow>, TransferStatus?> rule, CancellationToken ct,
        AlongWith? along = null, StatementBatch? before = null, Action<StatementBatch>? applied = null)
    {
        var lines = requested.Where(l => l.Amount != 0).ToArray();
        if (lines.Aggregate(Int128.Zero, (sum, l) => sum + l.Amount) != 0)
        {
            throw new InvalidOperationException($"Transfer {key} does not balance.");
        }

        var now = time.GetUtcNow();
        var deltas = lines.Where(l => !LedgerAccounts.IsSystem(l.Account))
            .GroupBy(l => l.Account)
            .Select(g => (Account: g.Key, Delta: g.Sum(l => l.Amount)))
            .ToArray();
        // Only a debit can take a balance below zero, so the checks need locks on debited rows only (and on an escrow,
        // whose state the rules read, and on the account a balance is reported for, so that it is exact). A user's
        // available account that is only credited (an operator's, paid by every task its workers finish) is read
        // without a lock and credited at the end without waiting for it: see CreditWithoutWaiting.
        var reported = along is null ? null : LedgerAccounts.Available(along.BalanceOf);
        var credited = deltas.Where(d => d.Delta > 0 && d.Account != reported && LedgerAccounts.IsAvailable(d.Account)).ToArray();
        var locked = deltas.Except(credited).ToArray();
        var claiming = before ?? new StatementBatch(tx);
        var claim = claiming.Add("""
            INSERT INTO ledger_transfers (key, kind, task_id, at) VALUES (@key, @kind, @task, @at)
            ON CONFLICT (key) DO NOTHING
            """);
        claim.Parameters.AddWithValue("key", key);
        claim.Parameters.AddWithValue("kind", kind);
        claim.Parameters.Add(new NpgsqlParameter("task", NpgsqlDbType.Text) { Value = (object?)taskId ?? DBNull.Value });
        claim.Parameters.AddWithValue("at", now);
        // The balance rows are read and locked in the claim's round trip; a replay has locked them for nothing, which is
        // harmless. The balance reported along is read there too, once the locks are granted.
        Balance? balanceBefore = null;
        var rows = await ReadAsync(claiming, locked.Select(d => d.Account).ToArray(), credited.Select(d => d.Account).ToArray(),
            along is null ? null : (BalanceQuery(along.BalanceOf), reader => balanceBefore = ReadBalance(reader)), ct);
        if (claim.RecordsAffected == 0)
        {
            return new TransferResult(TransferStatus.Replayed, await ReadLinesAsync(tx, key, ct));
        }

        var veto = rule(rows) ?? Check(lines, rows);
        if (veto is { } failure)
        {
            await using var release = Command(tx, "DELETE FROM ledger_transfers WHERE key = @key");
            release.Parameters.AddWithValue("key", key);
            await release.ExecuteNonQueryAsync(ct);
            return TransferResult.Failed(failure);
        }

        var writes = new StatementBatch(tx);
        var journal = writes.Add("""
            INSERT INTO ledger_entries (transfer_key, account, amount, at)
            SELECT @key, account, amount, @at FROM unnest(@accounts, @amounts) AS l(account, amount)
            """);
        journal.Parameters.AddWithValue("key", key);
        journal.Parameters.AddWithValue("at", now);
        journal.Parameters.AddWithValue("accounts", lines.Select(l => l.Account).ToArray());
        journal.Parameters.AddWithValue("amounts", lines.Select(l => l.Amount).ToArray());
        applied?.Invoke(writes);
        if (along is not null)
        {
            along.Add(writes, BalanceAfter(balanceBefore, along.BalanceOf, lines, rows));
        }

        var balances = locked.Length == 0 ? null : writes.Add("""
            WITH folded AS (DELETE FROM ledger_credits c WHERE c.account = ANY(@accounts) RETURNING c.account, c.amount),
                 pending AS (SELECT account, sum(amount) AS amount FROM folded GROUP BY account)
            UPDATE ledger_accounts a SET balance = a.balance + d.delta + COALESCE(p.amount, 0)
            FROM unnest(@accounts, @deltas) AS d(id, delta) LEFT JOIN pending p ON p.account = d.id
            WHERE a.id = d.id AND a.balance + d.delta + COALESCE(p.amount, 0) >= 0
            """);
        balances?.Parameters.AddWithValue("accounts", locked.Select(d => d.Account).ToArray());
        balances?.Parameters.AddWithValue("deltas", locked.Select(d => d.Delta).ToArray());
        if (credited.Length > 0)
        {
            CreditWithoutWaiting(writes, credited);
        }

        await writes.ExecuteAsync(ct);
        if (balances is not null && balances.RecordsAffected != locked.Length)
        {
            // The rows are locked and were checked, so this means a bug, not a race: abort the transaction.
            throw new InvalidOperationException($"Transfer {key} would make a balance negative.");
        }

        return new TransferResult(TransferStatus.Applied, lines);
    }

    /// <summary>
    /// Credits available accounts without waiting for a transaction that holds one: an account no one holds is locked
    /// and credited, and folds in the pending credits of its earlier payouts; one that is held gets a pending credit,
    /// which counts in its balance at once and is folded in by the next transaction to hold the row. So payouts to one
    /// account never queue behind each other, and an account has only as many pending credits as payouts raced for it.
    /// A credit past the largest balance fails the statement (bigint out of range), and with it the transaction.
    /// </summary>
    private static void CreditWithoutWaiting(StatementBatch writes, (string Account, long Delta)[] credits)
    {
        var credit = writes.Add("""
            WITH free AS (SELECT id FROM ledger_accounts WHERE id = ANY(@accounts) FOR NO KEY UPDATE SKIP LOCKED),
                 folded AS (DELETE FROM ledger_credits c USING free f WHERE c.account = f.id RETURNING c.account, c.amount),
                 credited AS (
                     UPDATE ledger_accounts a
                     SET balance = a.balance + d.delta + COALESCE((SELECT sum(x.amount) FROM folded x WHERE x.account = a.id), 0)
                     FROM unnest(@accounts, @deltas) AS d(id, delta)
                     WHERE a.id = d.id AND a.id IN (SELECT id FROM free))
            INSERT INTO ledger_credits (account, amount)
            SELECT d.id, d.delta FROM unnest(@accounts, @deltas) AS d(id, delta) WHERE d.id NOT IN (SELECT id FROM free)
            """);
        credit.Parameters.AddWithValue("accounts", credits.Select(c => c.Account).ToArray());
        credit.Parameters.AddWithValue("deltas", credits.Select(c => c.Delta).ToArray());
    }

    private static TransferStatus? Check(IReadOnlyList<JournalLine> lines, IReadOnlyDictionary<string, AccountRow> rows)
    {
        foreach (var group in lines.Where(l => !LedgerAccounts.IsSystem(l.Account)).GroupBy(l => l.Account))
        {
            if (!rows.TryGetValue(group.Key, out var row))
            {
                return TransferStatus.AccountNotFound;
            }

            // In 128 bits: a credit past what a balance holds must not wrap around into a "negative" balance.
            var after = group.Aggregate((Int128)row.Balance, (sum, line) => sum + line.Amount);
            if (after < 0)
            {
                return TransferStatus.InsufficientFunds;
            }

            if (after > long.MaxValue)
            {
                return TransferStatus.BalanceOverflow;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the balance rows, locking <paramref name="locked"/> in id order, after the statements already in
    /// <paramref name="batch"/>, and runs the <paramref name="then"/> query (its own statement, so its snapshot sees
    /// what committed before the locks).
    /// </summary>
    private static async Task<Dictionary<string, AccountRow>> ReadAsync(
        StatementBatch batch, string[] locked, string[] unlocked, (NpgsqlBatchCommand Query, Action<NpgsqlDataReader> Row)? then, CancellationToken ct)
    {
        var rows = new Dictionary<string, AccountRow>(StringComparer.Ordinal);
        void Row(NpgsqlDataReader reader) => rows.Add(reader.GetString(0), new AccountRow(
            reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        var queries = new List<(NpgsqlBatchCommand, Action<NpgsqlDataReader>)>();
        if (unlocked.Length > 0)
        {
            queries.Add((Rows("WHERE id = ANY(@ids)", unlocked), Row));
        }

        if (locked.Length > 0)
        {
            queries.Add((Rows("WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE", locked), Row));
        }

        if (then is { } next)
        {
            queries.Add(next);
        }

        await batch.ReadAsync(queries, ct);
        return rows;

        static NpgsqlBatchCommand Rows(string where, string[] ids)
        {
            var query = new NpgsqlBatchCommand($"SELECT id, {AvailableWithPending}, state, frozen, owner_id FROM ledger_accounts a {where}");
            query.Parameters.AddWithValue("ids", ids);
            return query;
        }
    }

    /// <summary>
    /// The balance of <paramref name="userId"/> once <paramref name="lines"/> are applied: its available account's
    /// lines and those of its escrows (all locked) added to what was read under the locks.
    /// </summary>
    private static Balance? BalanceAfter(Balance? before, string userId, IReadOnlyList<JournalLine> lines, IReadOnlyDictionary<string, AccountRow> rows)
    {
        if (before is null)
        {
            return null;
        }

        var available = LedgerAccounts.Available(userId);
        var toAvailable = lines.Where(l => l.Account == available).Sum(l => l.Amount);
        var toEscrow = lines.Where(l => rows.TryGetValue(l.Account, out var row) && row.State is not null && row.OwnerId == userId).Sum(l => l.Amount);
        return new Balance(before.Available + toAvailable, before.Escrow + toEscrow);
    }

    private static async Task<IReadOnlyList<JournalLine>> ReadLinesAsync(NpgsqlTransaction tx, string key, CancellationToken ct)
    {
        await using var cmd = Command(tx, "SELECT account, amount FROM ledger_entries WHERE transfer_key = @key ORDER BY id");
        cmd.Parameters.AddWithValue("key", key);
        var lines = new List<JournalLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(new JournalLine(reader.GetString(0), reader.GetInt64(1)));
        }

        return lines;
    }

    private static NpgsqlCommand Command(NpgsqlTransaction tx, string sql) => new(sql, tx.Connection, tx);

    private sealed record AccountRow(long Balance, string? State, bool Frozen, string? OwnerId);
}

/// <summary>A release payment to one worker's owner account.</summary>
public sealed record Payout(string UserId, long Amount);
