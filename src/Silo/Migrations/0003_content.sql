-- Content-addressed bytes (task modules, inputs, outputs), written once, and who may read them.

CREATE TABLE blobs (
    id         text PRIMARY KEY CHECK (id ~ '^sha256:[0-9a-f]{64}$'),
    size       integer NOT NULL CHECK (size >= 0),
    content    bytea NOT NULL,
    created_at timestamptz NOT NULL
);

-- An account may read what it uploaded, as a module (validated) or as a plain blob.
CREATE TABLE blob_grants (
    blob_id    text NOT NULL REFERENCES blobs (id),
    account_id text NOT NULL REFERENCES accounts (id),
    kind       text NOT NULL CHECK (kind IN ('Module', 'Blob')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (blob_id, account_id, kind)
);
