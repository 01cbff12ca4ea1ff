-- The audit chain's head is guarded like the log (PostgreSQL). Keep in
-- step with sqlite/0010_audit_head_guard.sql, which says why.
--
-- The append check runs once per statement over its new rows (a bulk
-- import inserts thousands of entries per statement): each must link to
-- the entry before it, and the first must follow the head.
CREATE FUNCTION audit_log_append_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad BIGINT;
BEGIN
    SELECT n.seq INTO bad
      FROM new_entries n
      LEFT JOIN audit_log p ON p.seq = n.seq - 1
     WHERE CASE WHEN n.seq = 1 THEN n.prev_hash <> '0000000000000000000000000000000000000000000000000000000000000000'
                ELSE p.seq IS NULL OR p.hash <> n.prev_hash END
        OR n.seq <= (SELECT last_seq FROM audit_head WHERE id = 1)
     LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'audit_log: entry % must follow the last one (seq and prev_hash)', bad;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_log_append_in_order AFTER INSERT ON audit_log
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_in_order();

CREATE FUNCTION audit_head_follows_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id OR NEW.last_seq < OLD.last_seq
       OR NEW.last_seq <> (SELECT COALESCE(MAX(seq), 0) FROM audit_log)
       OR NEW.last_hash IS DISTINCT FROM (SELECT hash FROM audit_log WHERE seq = NEW.last_seq) THEN
        RAISE EXCEPTION 'audit_head: the head moves only forward, onto the last entry';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_follows_log BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_follows_log();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
