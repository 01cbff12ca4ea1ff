-- Finished jobs are purged after a retention period, oldest first, a
-- batch at a time: this index finds them without reading the jobs still
-- in their retention.
CREATE INDEX jobs_finished ON jobs (status, updated_at);
