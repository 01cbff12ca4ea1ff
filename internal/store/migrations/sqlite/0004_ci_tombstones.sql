-- A deleted CI leaves a tombstone, written in the unit of work that deletes
-- it, so clients that keep a copy of the CMDB through
-- GET /api/v1/cis?updated_since=T&include_deleted=true learn of deletes.
-- owner_id is the CI's owner when it was deleted: a requester sees the
-- tombstones of CIs they could see. Tombstones are kept for
-- cmdb.TombstoneRetention (90 days) and then purged daily.
CREATE TABLE ci_tombstones (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    owner_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    deleted_at TEXT NOT NULL
);
CREATE INDEX ci_tombstones_deleted ON ci_tombstones (deleted_at, id);
