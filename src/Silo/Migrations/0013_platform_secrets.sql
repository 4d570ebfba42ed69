-- Secrets the platform makes for itself, shared by every silo and kept across restarts. 'task_ids' keys the ids
-- of tasks submitted with an Idempotency-Key, so a client cannot choose an id (a task id goes into hashes and
-- partitions). Two random UUIDs give 244 random bits from the server's strong random source.
CREATE TABLE platform_secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL CHECK (length(value) >= 32)
);
INSERT INTO platform_secrets (name, value)
VALUES ('task_ids', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
