-- Realtime history: every event a topic sequenced, so a client that reconnects can be sent what it missed
-- even after the topic's grain moved or restarted.

-- One row per topic: its current epoch and head offset. "clean" is true only while no activation holds the
-- topic and the last one left in good order; an activation that finds it false starts a new epoch.
CREATE TABLE topics (
    topic text PRIMARY KEY,
    epoch text NOT NULL,
    head  bigint NOT NULL CHECK (head >= 0),
    clean boolean NOT NULL
);

CREATE TABLE event_history (
    topic    text NOT NULL,
    epoch    text NOT NULL,
    "offset" bigint NOT NULL CHECK ("offset" > 0),
    event_id bigint NOT NULL,            -- the outbox row it came from: a re-sent row is recognised
    kind     text NOT NULL,
    payload  jsonb NOT NULL,
    at       timestamptz NOT NULL,       -- when the change it describes committed
    PRIMARY KEY (topic, epoch, "offset")
);
CREATE UNIQUE INDEX event_history_event ON event_history (topic, event_id);
