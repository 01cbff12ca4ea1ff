-- The audit chain's head is guarded like the log (SQLite). Keep in step
-- with postgres/0010_audit_head_guard.sql.
--
-- An entry is accepted only as the next link of the chain: its seq follows
-- the last stored entry and its prev_hash is that entry's hash. The head
-- moves only forward, onto the last stored entry, and is never deleted.
-- SQL cannot recompute the SHA-256 of an entry, so a forged entry that
-- links correctly is still accepted here; rampart audit verify catches it
-- by its hash. Someone who drops these triggers can do anything; verify
-- walks every stored entry and catches that too.
CREATE TRIGGER audit_log_append_in_order BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log WHERE seq = NEW.seq - 1),
                                    '0000000000000000000000000000000000000000000000000000000000000000')
  OR (SELECT last_seq FROM audit_head WHERE id = 1) > NEW.seq - 1
BEGIN SELECT RAISE(ABORT, 'audit_log: an entry must follow the last one (seq and prev_hash)'); END;

CREATE TRIGGER audit_head_follows_log BEFORE UPDATE ON audit_head
WHEN NEW.id IS NOT OLD.id
  OR NEW.last_seq < OLD.last_seq
  OR NEW.last_seq IS NOT (SELECT COALESCE(MAX(seq), 0) FROM audit_log)
  OR NEW.last_hash IS NOT (SELECT hash FROM audit_log WHERE seq = NEW.last_seq)
BEGIN SELECT RAISE(ABORT, 'audit_head: the head moves only forward, onto the last entry'); END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'audit_head: the head moves only forward, onto the last entry'); END;
