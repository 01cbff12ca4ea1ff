-- Sign-in throttling. Keep in step with the other engine's 0008_sign_in_throttle.sql.
--
-- One row per throttled key: an account ('account:NAME') or a client
-- address ('address:IP', IPv6 by its /64). failures counts failed password
-- checks since the count last started (auth.ThrottleWindow after the last
-- failure it starts again); blocked_until is when the next attempt may be
-- made, locked whether that block is a lock (auth.LockDuration) rather than
-- a growing delay. Kept in the database so every replica throttles alike;
-- the policy itself lives in Go (auth.ThrottlePolicy). Rows no longer
-- blocked or counted are purged with expired sessions.
CREATE TABLE sign_in_throttle (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL,
    blocked_until   TEXT,
    locked          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX sign_in_throttle_last ON sign_in_throttle (last_failure_at);
