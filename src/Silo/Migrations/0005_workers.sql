-- Workers: machines an account runs, each bound to one Ed25519 public key. Trust belongs to the account,
-- so registering a fresh worker launders nothing.

ALTER TABLE accounts ADD COLUMN trust double precision NOT NULL DEFAULT 0.5 CHECK (trust >= 0 AND trust <= 1);

CREATE TABLE workers (
    id           text PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts (id),
    public_key   bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
    name         text NOT NULL,
    capabilities text[] NOT NULL,
    capacity     integer NOT NULL CHECK (capacity BETWEEN 1 AND 64),
    lat          integer NULL CHECK (lat BETWEEN -90 AND 90),
    lon          integer NULL CHECK (lon BETWEEN -180 AND 180),
    status       text NOT NULL CHECK (status IN ('Active', 'Suspended')),
    created_at   timestamptz NOT NULL
);
CREATE INDEX workers_account ON workers (account_id);
