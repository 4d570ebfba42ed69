-- The relay in one call: a silo's receivers run it after the commits that wake them (together, for all the
-- partitions whose receivers are waiting at the moment), so its round trips are most of what realtime costs. One
-- call takes the partitions' oldest rows, gives the history rows of each topic its next offsets under the topic's
-- lock, stores them and moves the heads, trims retention, and answers every row it took (ephemeral ones with
-- offset 0) for the receivers to deliver.

CREATE TYPE outbox_relayed AS (
    partition   smallint,
    id          bigint,
    topic       text,
    kind        text,
    payload     text,
    at          timestamptz,
    ephemeral   boolean,
    epoch       text,
    head_before bigint,    -- the topic's head before this relay
    "offset"    bigint     -- 0 for an ephemeral row
);

CREATE FUNCTION outbox_relay(partitions smallint[], max_rows int, new_epoch text, keep bigint, kept_after timestamptz, trim_every bigint)
RETURNS SETOF outbox_relayed LANGUAGE plpgsql AS $$
DECLARE
    taken outbox_relayed[];
BEGIN
    -- Rows another reader holds are waited for and then skipped, being gone.
    WITH d AS (
        DELETE FROM outbox o
        WHERE o.id IN (SELECT x.id FROM outbox x WHERE x.partition = ANY(partitions) ORDER BY x.id LIMIT max_rows FOR UPDATE)
        RETURNING o.partition, o.id, o.topic, o.kind, o.payload::text AS payload, o.created_at, o.ephemeral)
    SELECT array_agg((d.partition, d.id, d.topic, d.kind, d.payload, d.created_at, d.ephemeral, NULL, NULL, NULL)::outbox_relayed ORDER BY d.id)
    INTO taken FROM d;
    IF taken IS NULL THEN
        RETURN;
    END IF;

    -- A topic seen for the first time starts an epoch at 0; heads are locked in topic order, so writers cannot
    -- deadlock. (An epoch only tells one life of a topic from another: new topics may share one.)
    INSERT INTO topics (topic, epoch, head)
    SELECT DISTINCT r.topic, new_epoch, 0 FROM unnest(taken) r
    ON CONFLICT (topic) DO NOTHING;
    PERFORM 1 FROM topics h WHERE h.topic IN (SELECT r.topic FROM unnest(taken) r) ORDER BY h.topic COLLATE "C" FOR UPDATE;

    SELECT array_agg((s.partition, s.id, s.topic, s.kind, s.payload, s.at, s.ephemeral, s.epoch, s.head_before, s."offset")::outbox_relayed ORDER BY s.id)
    INTO taken
    FROM (
        SELECT r.partition, r.id, r.topic, r.kind, r.payload, r.at, r.ephemeral, h.epoch, h.head AS head_before,
               CASE WHEN r.ephemeral THEN 0
                    ELSE h.head + count(*) FILTER (WHERE NOT r.ephemeral) OVER (PARTITION BY r.topic ORDER BY r.id) END AS "offset"
        FROM unnest(taken) r JOIN topics h ON h.topic = r.topic) s;

    INSERT INTO event_history (topic, epoch, "offset", event_id, kind, payload, at)
    SELECT r.topic, r.epoch, r."offset", r.id, r.kind, r.payload::jsonb, r.at FROM unnest(taken) r WHERE NOT r.ephemeral;

    UPDATE topics h SET head = m.head
    FROM (SELECT r.topic, max(r."offset") AS head FROM unnest(taken) r WHERE NOT r.ephemeral GROUP BY r.topic) m
    WHERE h.topic = m.topic;

    -- Retention, each time a topic's head passes a multiple of trim_every: events older than kept_after, and those
    -- of the current epoch beyond its last keep. Older epochs go by age only.
    DELETE FROM event_history e
    USING (SELECT r.topic, r.epoch, min(r.head_before) AS before, max(r."offset") AS head
           FROM unnest(taken) r WHERE NOT r.ephemeral GROUP BY r.topic, r.epoch) m
    WHERE m.before / trim_every <> m.head / trim_every
      AND e.topic = m.topic AND (e.at < kept_after OR (e.epoch = m.epoch AND e."offset" <= m.head - keep));

    RETURN QUERY SELECT * FROM unnest(taken);
END
$$;
