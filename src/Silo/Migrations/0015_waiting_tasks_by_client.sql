-- A submission counts its client's tasks waiting for a worker (at most Gstd:Limits:MaxQueuedTasks may): this index
-- holds only those, so the count follows the client's waiting tasks, not every task it ever ran.
CREATE INDEX tasks_client_waiting ON tasks (client_id) WHERE status IN ('Queued', 'RetryWaiting');
