-- A risk acceptance expires: the poller reopens findings whose exception
-- ended (vuln.Service.ReopenExpired), found by this column.
ALTER TABLE findings ADD COLUMN exception_expires_at TEXT;
CREATE INDEX findings_exception_expiry ON findings (exception_expires_at);

-- Indexes measured on 100,000 findings: closing findings a rescan no
-- longer reports reads each scanned target's active identities from the
-- index alone; the filters of the findings list that select few rows
-- (a priority, KEV) walk their own index in list order instead
-- of the whole priority index. updated_since is rare enough to walk the
-- priority index, so its index goes (one index less to keep per insert).
DROP INDEX findings_target;
CREATE INDEX findings_target ON findings (target_id, scanner, state, identity);
DROP INDEX findings_updated;
CREATE INDEX findings_kev ON findings (kev, priority_rank, id);
