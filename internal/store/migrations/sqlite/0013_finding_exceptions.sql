-- A risk acceptance expires: the poller reopens findings whose exception
-- ended (vuln.Service.ReopenExpired), found by this column.
ALTER TABLE findings ADD COLUMN exception_expires_at TEXT;
CREATE INDEX findings_exception_expiry ON findings (exception_expires_at);
