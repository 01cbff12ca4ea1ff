-- Every order of the CMDB list (cmdb.Sorts: name, kind, criticality,
-- environment, updated; each also descending) reads one index, forwards or
-- backwards, then stops after a page: no sort of the whole CMDB. Name and
-- updated have theirs (cis_name, cis_updated). The kind index gains the
-- name, so a kind filter also lists in name order straight from it.
DROP INDEX cis_kind;
CREATE INDEX cis_kind ON cis (kind, name_lower, id);
CREATE INDEX cis_criticality ON cis (criticality, name_lower, id);
CREATE INDEX cis_environment ON cis (environment, name_lower, id);
