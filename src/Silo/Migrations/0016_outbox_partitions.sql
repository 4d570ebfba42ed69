-- Realtime runs on an Orleans persistent stream provider whose queues are the outbox's partitions: a topic's
-- rows always land in the same one of 8 partitions (changing the count means draining the outbox first), each
-- read by the silo that holds its lease. A commit that adds rows wakes the readers of their partitions at once:
-- NOTIFY is delivered when the transaction commits, and not at all when it rolls back.

ALTER TABLE outbox
    ADD COLUMN partition smallint GENERATED ALWAYS AS (mod(abs(hashtext(topic)::bigint), 8)) STORED,
    -- Offers and revocations travel on a worker's stream but are never history: a reconnecting agent gets its
    -- open offers again from task state.
    ADD COLUMN ephemeral boolean NOT NULL DEFAULT false;

CREATE INDEX outbox_by_partition ON outbox (partition, id);

CREATE FUNCTION outbox_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gstd_outbox', p::text) FROM (SELECT DISTINCT partition AS p FROM added) AS partitions;
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_wake AFTER INSERT ON outbox
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake();

-- Which silo reads which partition: Orleans' lease-based queue balancer takes and renews these. Expiry is judged by
-- the database's clock, so silos whose clocks differ agree on it.
CREATE TABLE stream_leases (
    category   text NOT NULL,
    resource   text NOT NULL,
    owner      text NOT NULL,         -- the silo address holding it
    token      text NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (category, resource)
);
