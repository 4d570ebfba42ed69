-- Tasks: one row is the task's state and its read model. Every transition rewrites the row guarded by
-- its version, in the same transaction as the ledger transfer, the outbox events and the next deadline.

CREATE TABLE tasks (
    id                text PRIMARY KEY,
    client_id         text NOT NULL REFERENCES accounts (id),
    version           bigint NOT NULL,
    status            text NOT NULL,
    module_id         text NOT NULL,
    input_id          text NOT NULL,
    price             bigint NOT NULL CHECK (price > 0),
    fee               bigint NOT NULL CHECK (fee >= 0),
    escrow_generation integer NOT NULL,
    spec              jsonb NOT NULL,
    body              jsonb NOT NULL,                        -- attempts, history, lease, result, reason
    due_at            timestamptz NULL,                      -- the next deadline, for the sweepers
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX tasks_due ON tasks (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX tasks_client ON tasks (client_id, created_at DESC, id DESC);
CREATE INDEX tasks_active ON tasks (status) WHERE status IN ('Queued', 'Assigned', 'Running', 'RetryWaiting');
