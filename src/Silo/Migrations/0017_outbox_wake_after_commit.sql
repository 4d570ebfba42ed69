-- A NOTIFY inside a transaction makes its COMMIT take one lock for the whole server, held until the commit is on
-- disk: every transition that wrote events waited in one line for the flushes of all the others. The writer now
-- wakes the partition's reader after its commit (in process, or by a NOTIFY of its own that waits for no disk),
-- so it must know the partition without asking: the hash is one the silo computes too (TopicStreams.PartitionOf,
-- 32-bit FNV-1a of the topic's UTF-8 bytes).

DROP TRIGGER outbox_wake ON outbox;
DROP FUNCTION outbox_wake();

CREATE FUNCTION outbox_partition(topic text) RETURNS smallint LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    bytes bytea := convert_to(topic, 'UTF8');
    hash bigint := 2166136261;
BEGIN
    FOR i IN 0 .. length(bytes) - 1 LOOP
        hash := ((hash # get_byte(bytes, i)) * 16777619) % 4294967296;
    END LOOP;
    RETURN hash % 8;
END
$$;

-- Rows still waiting move with their topic, so a topic's rows stay in one partition.
ALTER TABLE outbox DROP COLUMN partition;
ALTER TABLE outbox ADD COLUMN partition smallint GENERATED ALWAYS AS (outbox_partition(topic)) STORED;
CREATE INDEX outbox_by_partition ON outbox (partition, id);
