-- Trust evidence per worker account (the score in accounts.trust is derived from it), the recent history of
-- trust changes, and the worker a task's lease is with as a column, so an assignment can count a worker's
-- leases under a lock on the worker (the database, not a cache, has the last word on capacity) and a worker's
-- page can count what it completed and earned.

ALTER TABLE accounts
    ADD COLUMN trust_successes  double precision NOT NULL DEFAULT 0 CHECK (trust_successes >= 0),
    ADD COLUMN trust_failures   double precision NOT NULL DEFAULT 0 CHECK (trust_failures >= 0),
    ADD COLUMN trust_updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE trust_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id text NOT NULL REFERENCES accounts (id),
    worker_id  text NULL,
    task_id    text NULL,
    event      text NOT NULL,
    trust      double precision NOT NULL CHECK (trust >= 0 AND trust <= 1),
    at         timestamptz NOT NULL
);
CREATE INDEX trust_history_account ON trust_history (account_id, id DESC);

ALTER TABLE tasks ADD COLUMN worker_id text GENERATED ALWAYS AS (body ->> 'workerId') STORED;
CREATE INDEX tasks_worker ON tasks (worker_id, status) WHERE worker_id IS NOT NULL;
