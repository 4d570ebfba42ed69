-- An admin can disable an account: its keys stop working at once and it can do nothing more, while its money
-- stays where the ledger says.
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz NULL;
