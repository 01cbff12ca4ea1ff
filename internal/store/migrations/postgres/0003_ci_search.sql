-- Substring search over a CI's name and identifiers ("banking" finds
-- "Online Banking" and "core-banking-db", "sw-01" finds "core-sw-01").
-- cis.search holds the searched text, written by the store with every CI
-- write (cmdbstore.searchText): the lower-case name and identifier values,
-- one per line. A pg_trgm GIN index serves "search LIKE '%term%'" for terms
-- of three characters or more; PostgreSQL keeps it in step with every
-- write. pg_trgm is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE cis ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE cis SET search = name_lower || COALESCE((SELECT E'\n' || string_agg(lower(i.value), E'\n')
    FROM ci_identifiers i WHERE i.ci_id = cis.id), '');
CREATE INDEX cis_search ON cis USING gin (search gin_trgm_ops);
