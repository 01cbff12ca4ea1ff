-- Substring search over a CI's name and identifiers ("banking" finds
-- "Online Banking" and "core-banking-db", "sw-01" finds "core-sw-01").
-- cis.search holds the searched text, written by the store with every CI
-- write (cmdbstore.searchText): the lower-case name and identifier values,
-- one per line. An FTS5 table with the trigram tokenizer indexes it as
-- external content (it keeps only the index, reading text from cis), and
-- the triggers below keep it in step with every insert, update and delete,
-- bulk imports included.
ALTER TABLE cis ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE cis SET search = name_lower || COALESCE((SELECT char(10) || group_concat(lower(i.value), char(10))
    FROM ci_identifiers i WHERE i.ci_id = cis.id), '');

CREATE VIRTUAL TABLE cis_search USING fts5(search, content = 'cis', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO cis_search (cis_search) VALUES ('rebuild');

CREATE TRIGGER cis_search_insert AFTER INSERT ON cis
BEGIN INSERT INTO cis_search (rowid, search) VALUES (new.id, new.search); END;
CREATE TRIGGER cis_search_delete AFTER DELETE ON cis
BEGIN INSERT INTO cis_search (cis_search, rowid, search) VALUES ('delete', old.id, old.search); END;
-- Updates that leave the text as it was (most re-imports) cost nothing.
CREATE TRIGGER cis_search_update AFTER UPDATE OF search ON cis WHEN old.search <> new.search
BEGIN
    INSERT INTO cis_search (cis_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO cis_search (rowid, search) VALUES (new.id, new.search);
END;
