-- A balance's escrow is the sum of the owner's held escrow accounts. Settled escrows are empty and stay forever,
-- one per task run, so the sum reads only the held ones: its cost follows the tasks in flight, not all tasks ever.
CREATE INDEX ledger_accounts_held_escrow ON ledger_accounts (owner_id) INCLUDE (balance) WHERE kind = 'escrow' AND state = 'Held';
