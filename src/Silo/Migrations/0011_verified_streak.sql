-- Adaptive replication: how many results in a row of an account's workers were verified (by the platform's
-- runner or by agreeing replicas). Until it reaches the platform's threshold every result is spot-checked;
-- a wrong result or a lost dispute sets it back to zero.
ALTER TABLE accounts ADD COLUMN verified_streak integer NOT NULL DEFAULT 0 CHECK (verified_streak >= 0);
