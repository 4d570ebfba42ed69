-- Disputes: one row is a dispute's state and its read model, like tasks. The task's transaction that
-- freezes the escrow creates the row; the dispute grain writes it from then on, guarded by its version.
-- A task is disputed at most once (task_id is unique).

CREATE TABLE disputes (
    id                text PRIMARY KEY,
    task_id           text NOT NULL UNIQUE REFERENCES tasks (id),
    client_id         text NOT NULL REFERENCES accounts (id),
    worker_id         text NOT NULL,                         -- the worker whose result the task kept
    worker_accounts   text[] NOT NULL,                       -- every account paid for the result (one per agreeing replica)
    version           bigint NOT NULL,
    status            text NOT NULL CHECK (status IN ('Open', 'AutoReviewing', 'AwaitingArbitration', 'Resolved')),
    reason            text NOT NULL CHECK (reason IN ('WrongOutput', 'Other')),
    arbitrate_by      timestamptz NULL,
    body              jsonb NOT NULL,                        -- details, evidence, re-executions, decision
    due_at            timestamptz NULL,                      -- the next step or deadline, for the sweepers
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE INDEX disputes_client ON disputes (client_id, created_at DESC, id DESC);
CREATE INDEX disputes_worker_accounts ON disputes USING gin (worker_accounts);
CREATE INDEX disputes_queue ON disputes (status, created_at DESC, id DESC);
CREATE INDEX disputes_due ON disputes (due_at) WHERE due_at IS NOT NULL;
