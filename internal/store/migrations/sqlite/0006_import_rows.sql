-- Imports run in chunks, each its own transaction: status and
-- applied_through say how far one got (every row up to applied_through was
-- applied or rejected, none after it), updated_at when it last moved.
-- A report keeps counts, and rows only where a row needs a person's
-- attention (rejected rows, conflicts), one table row each, so it is read
-- a page at a time instead of as one JSON document the size of the file.
CREATE TABLE import_rows (
    import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    row       INTEGER NOT NULL,
    label     TEXT NOT NULL,
    action    TEXT NOT NULL,
    ci_key    TEXT NOT NULL DEFAULT '',
    errors    TEXT NOT NULL DEFAULT '[]',
    conflict  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (import_id, row)
);

ALTER TABLE imports ADD COLUMN status TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('running', 'done', 'failed'));
ALTER TABLE imports ADD COLUMN applied_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';

-- Earlier reports held every row as JSON; their rejected rows move over.
INSERT INTO import_rows (import_id, row, label, action, ci_key, errors, conflict)
SELECT i.id, json_extract(r.value, '$.row'), COALESCE(json_extract(r.value, '$.label'), ''), 'rejected',
       COALESCE(json_extract(r.value, '$.ci_key'), ''), COALESCE(json_extract(r.value, '$.errors'), '[]'),
       COALESCE(json_extract(r.value, '$.conflict'), '[]')
FROM imports i, json_each(CASE WHEN json_type(i.report) = 'array' THEN i.report ELSE '[]' END) r
WHERE json_extract(r.value, '$.action') = 'rejected';

UPDATE imports SET updated_at = created_at,
    applied_through = COALESCE((SELECT MAX(json_extract(r.value, '$.row'))
        FROM json_each(CASE WHEN json_type(imports.report) = 'array' THEN imports.report ELSE '[]' END) r), 0);

ALTER TABLE imports DROP COLUMN report;
