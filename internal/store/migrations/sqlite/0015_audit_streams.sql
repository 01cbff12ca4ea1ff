-- Audit log format 2: streams (SQLite). Keep in step with
-- postgres/0015_audit_streams.sql.
--
-- The log is split into streams (general, security), each its own chain
-- with its own head in audit_heads, so an anchor is STREAM:SEQ:HASH. An
-- entry's stream, restricted flag, via (what made it: "import IMP-7") and
-- format are hashed with it (audit.ComputeHash). id orders entries across
-- streams for lists; within a stream seq is the chain's order.
--
-- Entries written before keep their format 1 hash and verify as they
-- are: they become the start of the general stream, and new entries chain
-- onto the last of them. No entry is rewritten.

DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_append_in_order;
DROP TRIGGER audit_head_follows_log;
DROP TRIGGER audit_head_no_delete;

CREATE TABLE audit_heads (
    stream    TEXT PRIMARY KEY,
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_heads (stream, last_seq, last_hash) SELECT 'general', last_seq, last_hash FROM audit_head WHERE id = 1;
INSERT INTO audit_heads (stream, last_seq, last_hash)
    VALUES ('security', 0, '0000000000000000000000000000000000000000000000000000000000000000');
DROP TABLE audit_head;

CREATE TABLE audit_log_v2 (
    id           INTEGER PRIMARY KEY, -- the rowid
    stream       TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    record_kind  TEXT NOT NULL,
    record_key   TEXT NOT NULL,
    restricted   BOOLEAN NOT NULL DEFAULT FALSE,
    via          TEXT NOT NULL DEFAULT '',
    before_state TEXT,
    after_state  TEXT,
    changes      TEXT,
    format       INTEGER NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (stream, seq)
);
INSERT INTO audit_log_v2 (id, stream, seq, at, actor, action, record_kind, record_key, restricted, via,
        before_state, after_state, changes, format, prev_hash, hash)
    SELECT seq, 'general', seq, at, actor, action, record_kind, record_key, FALSE, '',
        before_state, after_state, changes, 1, prev_hash, hash
    FROM audit_log ORDER BY seq;
DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;
CREATE INDEX audit_log_record ON audit_log (record_kind, record_key, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- The log is append-only for the application: these triggers refuse edits.
-- Someone with direct database access can drop them; the hash chain is
-- what proves such an edit happened (rampart audit verify).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- An entry is accepted only as the next link of its stream: seq follows
-- the stream's last entry and its head, prev_hash is that entry's hash.
-- SQL cannot recompute an entry's SHA-256, so a forged entry that links
-- correctly gets in; verify catches it by its hash.
CREATE TRIGGER audit_log_append_in_order BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log WHERE stream = NEW.stream)
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log WHERE stream = NEW.stream AND seq = NEW.seq - 1),
                                    '0000000000000000000000000000000000000000000000000000000000000000')
  OR NOT EXISTS (SELECT 1 FROM audit_heads WHERE stream = NEW.stream AND last_seq < NEW.seq)
BEGIN SELECT RAISE(ABORT, 'audit_log: an entry must follow the last one of its stream (seq and prev_hash)'); END;

-- A head moves only forward, onto its stream's last entry; a new stream's
-- head starts at the genesis hash; no head is deleted.
CREATE TRIGGER audit_heads_follow_log BEFORE UPDATE ON audit_heads
WHEN NEW.stream IS NOT OLD.stream
  OR NEW.last_seq < OLD.last_seq
  OR NEW.last_seq IS NOT (SELECT COALESCE(MAX(seq), 0) FROM audit_log WHERE stream = NEW.stream)
  OR NEW.last_hash IS NOT (SELECT hash FROM audit_log WHERE stream = NEW.stream AND seq = NEW.last_seq)
BEGIN SELECT RAISE(ABORT, 'audit_heads: a head moves only forward, onto the last entry of its stream'); END;
CREATE TRIGGER audit_heads_start_at_genesis BEFORE INSERT ON audit_heads
WHEN NEW.last_seq <> 0 OR NEW.last_hash <> '0000000000000000000000000000000000000000000000000000000000000000'
BEGIN SELECT RAISE(ABORT, 'audit_heads: a new stream starts at the genesis hash'); END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN SELECT RAISE(ABORT, 'audit_heads: a head moves only forward, onto the last entry of its stream'); END;

-- Where the last verification of each stream got to: verification goes on
-- from here unless asked for a full walk. Not evidence: a full walk and
-- anchors kept outside the database are.
CREATE TABLE audit_checkpoints (
    stream      TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    hash        TEXT NOT NULL,
    verified_at TEXT NOT NULL
);
