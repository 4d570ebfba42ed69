-- Storage for the Orleans 10.4.2 ADO.NET providers (clustering, grain persistence, reminders), written
-- for PostgreSQL 15 from the providers' contract. Each provider reads its statements from orleansquery;
-- every statement is a single atomic command because the providers run them in autocommit.

-- The catalog name is compiled into the providers unquoted, so it must be lower case.
CREATE TABLE orleansquery (
    querykey  text PRIMARY KEY,
    querytext text NOT NULL
);

-- Clustering -----------------------------------------------------------------------------------------
-- One version row per cluster: it is the ETag of every membership row and grows by exactly one with
-- each insert or update of a member.
CREATE TABLE orleans_membership_version (
    deploymentid text PRIMARY KEY,
    version      integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    changed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deploymentid text NOT NULL REFERENCES orleans_membership_version (deploymentid) ON DELETE CASCADE,
    address      text NOT NULL,
    port         integer NOT NULL,
    generation   integer NOT NULL,
    siloname     text NOT NULL,
    hostname     text NOT NULL,
    status       integer NOT NULL,
    proxyport    integer NOT NULL DEFAULT 0,
    suspecttimes text NULL,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Reminders ------------------------------------------------------------------------------------------
-- grainhash is the ring hash reinterpreted as a signed int32, so range reads compare signed integers.
CREATE TABLE orleans_reminders (
    serviceid    text NOT NULL,
    grainid      text NOT NULL,
    remindername text NOT NULL,
    starttime    timestamptz NOT NULL,
    period       bigint NOT NULL,
    grainhash    integer NOT NULL,
    version      integer NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);
CREATE INDEX orleans_reminders_ring ON orleans_reminders (serviceid, grainhash);

-- Grain state ----------------------------------------------------------------------------------------
-- The identity is (service, state name, key parts, extension); a NULL extension is its own value, not
-- ''. The unique constraint treats NULLs as equal so two first writes can never both insert.
CREATE TABLE orleans_grain_state (
    serviceid              text NOT NULL,
    graintypestring        text NOT NULL,
    grainidn0              bigint NOT NULL,
    grainidn1              bigint NOT NULL,
    grainidextensionstring text NULL CHECK (length(grainidextensionstring) <= 1024),
    grainidhash            integer NOT NULL,
    graintypehash          integer NOT NULL,
    payloadbinary          bytea NULL,
    version                integer NOT NULL,
    modifiedon             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_grain_state_identity
        UNIQUE NULLS NOT DISTINCT (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
);

-- Statements -----------------------------------------------------------------------------------------
INSERT INTO orleansquery (querykey, querytext) VALUES

-- Creates the cluster's version row once; true only for the silo that created it.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created) AS created;
$q$),

-- Version and members in one snapshot; with no members, the version row alone (starttime NULL).
('MembershipReadAllKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;
$q$),

('MembershipReadRowKey', $q$
SELECT v.version, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;
$q$),

-- The version moves only together with the new member: a duplicate silo or a stale version changes
-- nothing. Every member write locks the version row first, so the member check cannot race.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deploymentid = @DeploymentId AND version = @Version AND version < 2147483647
      AND NOT EXISTS (SELECT 1 FROM orleans_membership
                      WHERE deploymentid = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING deploymentid),
inserted AS (
    INSERT INTO orleans_membership (deploymentid, address, port, generation, siloname, hostname, status,
                                    proxyport, suspecttimes, starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, NULL, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM inserted) AS inserted;
$q$),

-- The member row is locked before the version row, so a concurrent cleanup cannot delete it between
-- the version bump and the update (which would keep a bump without a change).
('UpdateMembershipKey', $q$
WITH member AS (
    SELECT 1 FROM orleans_membership
    WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
    FOR UPDATE),
bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deploymentid = @DeploymentId AND version = @Version AND version < 2147483647
      AND EXISTS (SELECT 1 FROM member)
    RETURNING deploymentid),
updated AS (
    UPDATE orleans_membership m
    SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = GREATEST(m.iamalivetime, @IAmAliveTime)
    FROM bumped
    WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM updated) AS updated;
$q$),

-- Heartbeats never touch the version and never move the time backwards.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$),

('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleans_membership
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;
$q$),

-- Members go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deploymentid = @DeploymentId;
$q$),

-- Fallback bulk cleanup (the per-row key below takes precedence): old Dead rows only.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deploymentid = @DeploymentId AND status = 6
  AND iamalivetime < @IAmAliveTime AND starttime < @IAmAliveTime;
$q$),

-- Deletes one Dead row only if nothing about it changed since it was read.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND starttime = @StartTime AND iamalivetime = @IAmAliveTime
  AND COALESCE(suspecttimes, '') = COALESCE(@SuspectTimes, '');
$q$),

('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId AND grainid = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;
$q$),

-- (BeginHash, EndHash] when the range does not wrap in signed order.
('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;
$q$),

-- The wrapping range, and the whole ring when BeginHash = EndHash.
('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version
FROM orleans_reminders
WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);
$q$),

('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = EXCLUDED.starttime, period = EXCLUDED.period, grainhash = EXCLUDED.grainhash,
    version = CASE WHEN r.version = 2147483647 THEN 0 ELSE r.version + 1 END
RETURNING version;
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM deleted) AS deleted;
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE serviceid = @ServiceId;
$q$),

-- Grain state: the extension matches null-safely, written as two index-friendly alternatives.
('ReadFromStorageKey', $q$
SELECT payloadbinary, version
FROM orleans_grain_state
WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND (grainidextensionstring = @GrainIdExtensionString
       OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL));
$q$),

-- With a version: compare-and-swap. Without one: insert only if the identity is new (a cleared row
-- counts as existing). Exactly one row comes back; NULL means nothing changed, i.e. a conflict.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
      AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND (grainidextensionstring = @GrainIdExtensionString
           OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL))
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
                                     grainidhash, graintypehash, payloadbinary, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_identity DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS newgrainstateversion;
$q$),

-- Clearing keeps the row with a NULL payload so the version history goes on and stale writers fail.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payloadbinary = NULL, version = version + 1, modifiedon = now()
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND (grainidextensionstring = @GrainIdExtensionString
       OR (grainidextensionstring IS NULL AND @GrainIdExtensionString IS NULL))
RETURNING version;
$q$);
