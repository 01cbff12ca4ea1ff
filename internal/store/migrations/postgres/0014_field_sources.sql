-- Every field of a CI remembers who last set it: a person (source
-- "manual") or an import source. An import may not overwrite a field held
-- by a source ranked above its own. Stored as a JSON array of claims,
-- [{"source": "manual", "by": "alice", "fields": ["name"]}, ...], opaque to
-- SQL: only the CMDB service reads it, always with the whole CI.
ALTER TABLE cis ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';

-- An import names its source (default: its format); the report counts the
-- rows that kept some field because a higher source holds it, and keeps
-- those rows with the fields kept and why.
ALTER TABLE imports ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_rows ADD COLUMN kept TEXT NOT NULL DEFAULT '[]';

-- The order of import sources, highest first (rank 1); manual edits rank
-- above every import source. Sources not listed rank below those listed,
-- equal among themselves. Admins edit it through the API; each change is
-- an audit entry.
CREATE TABLE import_source_precedence (
    rank   INTEGER NOT NULL PRIMARY KEY,
    source TEXT NOT NULL
);
CREATE UNIQUE INDEX import_source_precedence_source ON import_source_precedence (source);
