-- Accounts, API keys, the double-entry ledger and the event outbox.

CREATE TABLE accounts (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    roles       integer NOT NULL CHECK (roles > 0),          -- AccountRoles flags
    worker_role text NULL CHECK (worker_role IN ('PendingApproval', 'Active')),
    created_at  timestamptz NOT NULL
);

-- Only the SHA-256 of a key is kept; the prefix finds the row, the hash is compared in constant time.
CREATE TABLE api_keys (
    id           text PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts (id),
    prefix       text NOT NULL UNIQUE,
    secret_hash  bytea NOT NULL CHECK (length(secret_hash) = 32),
    scope        text NOT NULL CHECK (scope IN ('Full', 'Worker')),
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz NULL,
    revoked_at   timestamptz NULL
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- Ledger ---------------------------------------------------------------------------------------------
-- Accounts that carry a running balance: a user's available funds and each task's escrow generation.
-- System accounts (platform:fees, external:deposits) have no row: their balance is the sum of their
-- journal lines, so no settlement queues on one hot row.
CREATE TABLE ledger_accounts (
    id         text PRIMARY KEY,                            -- user:{id}:available, task:{id}:g{n}:escrow
    kind       text NOT NULL CHECK (kind IN ('available', 'escrow')),
    owner_id   text NOT NULL REFERENCES accounts (id),      -- the user, or the client who owns the task
    task_id    text NULL,
    balance    bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
    -- escrow only: Held until released, refunded or split; frozen while a dispute is open.
    state      text NULL CHECK (state IN ('Held', 'Released', 'Refunded', 'Split')),
    frozen     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    CHECK ((kind = 'escrow') = (task_id IS NOT NULL AND state IS NOT NULL))
);
CREATE INDEX ledger_accounts_owner ON ledger_accounts (owner_id, kind);

-- One row per business operation; the key makes every transfer idempotent.
CREATE TABLE ledger_transfers (
    key     text PRIMARY KEY,                               -- deposit:{ref}, task:{id}:g{n}:hold, ...
    kind    text NOT NULL,
    task_id text NULL,
    at      timestamptz NOT NULL
);

CREATE TABLE ledger_entries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transfer_key text NOT NULL REFERENCES ledger_transfers (key),
    account      text NOT NULL,
    amount       bigint NOT NULL CHECK (amount <> 0),
    at           timestamptz NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account, id);
CREATE INDEX ledger_entries_transfer ON ledger_entries (transfer_key);

-- Outbox ---------------------------------------------------------------------------------------------
-- Events written in the same transaction as the change they describe, relayed to topics after commit.
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text NOT NULL,
    kind        text NOT NULL,
    source      text NOT NULL,                              -- the entity that emitted it (dedup key part)
    version     bigint NOT NULL,                            -- the entity's version (dedup key part)
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (topic, source, version, kind)
);
