-- rampart:foreign-keys-off
-- Open enumerations leave the schema (SQLite). Keep in step with
-- postgres/0007_open_enumerations.sql.
--
-- Roles, CI kinds, identifier kinds and relation types grow with the
-- organisation and the estate Rampart describes; as CHECK lists every new
-- value meant rebuilding these tables (SQLite cannot alter a constraint).
-- They are validated in Go (auth.Role.Valid, cmdb.Kind.Valid,
-- NormalizeIdentifiers, cmdb.RelationType.Valid), so adding one is now a
-- code change. Closed facts keep their CHECK:
-- criticality 1..5, a relation never joins a CI to itself.
--
-- The first line turns foreign keys off around this migration (store/
-- migrate.go): dropping the old cis would otherwise cascade into every
-- identifier, tag and relation. The runner checks every reference before
-- commit (PRAGMA foreign_key_check). Columns are copied by name.

CREATE TABLE cis_rebuilt (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL,
    name                TEXT NOT NULL,
    name_lower          TEXT NOT NULL,
    kind                TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    environment         TEXT NOT NULL DEFAULT '',
    owner_id            BIGINT REFERENCES users (id) ON DELETE SET NULL,
    support_group_id    BIGINT REFERENCES teams (id) ON DELETE SET NULL,
    criticality         INTEGER NOT NULL CHECK (criticality BETWEEN 1 AND 5),
    data_classification TEXT NOT NULL DEFAULT 'internal',
    internet_exposed    BOOLEAN NOT NULL DEFAULT FALSE,
    supplier            TEXT NOT NULL DEFAULT '',
    lifecycle_status    TEXT NOT NULL DEFAULT 'operational',
    attributes          TEXT NOT NULL DEFAULT '{}',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    search              TEXT NOT NULL DEFAULT ''
);
INSERT INTO cis_rebuilt (id, key, name, name_lower, kind, description, environment, owner_id, support_group_id,
    criticality, data_classification, internet_exposed, supplier, lifecycle_status, attributes, version, created_at, updated_at, search)
SELECT id, key, name, name_lower, kind, description, environment, owner_id, support_group_id,
    criticality, data_classification, internet_exposed, supplier, lifecycle_status, attributes, version, created_at, updated_at, search
FROM cis;
-- Dropping cis drops its indexes and the triggers that keep the search
-- index (cis_search, 0003) in step; both come back below. The FTS5 table
-- reads cis by name and rowid, and every id is kept, so it stays valid.
DROP TABLE cis;
ALTER TABLE cis_rebuilt RENAME TO cis;
CREATE UNIQUE INDEX cis_key ON cis (key);
CREATE INDEX cis_name ON cis (name_lower, id);
CREATE INDEX cis_kind ON cis (kind, name_lower, id);
CREATE INDEX cis_criticality ON cis (criticality, name_lower, id);
CREATE INDEX cis_environment ON cis (environment, name_lower, id);
CREATE INDEX cis_owner ON cis (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX cis_support_group ON cis (support_group_id) WHERE support_group_id IS NOT NULL;
CREATE INDEX cis_updated ON cis (updated_at, id);
CREATE TRIGGER cis_search_insert AFTER INSERT ON cis
BEGIN INSERT INTO cis_search (rowid, search) VALUES (new.id, new.search); END;
CREATE TRIGGER cis_search_delete AFTER DELETE ON cis
BEGIN INSERT INTO cis_search (cis_search, rowid, search) VALUES ('delete', old.id, old.search); END;
CREATE TRIGGER cis_search_update AFTER UPDATE OF search ON cis WHEN old.search <> new.search
BEGIN
    INSERT INTO cis_search (cis_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO cis_search (rowid, search) VALUES (new.id, new.search);
END;

CREATE TABLE ci_identifiers_rebuilt (
    ci_id    BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
INSERT INTO ci_identifiers_rebuilt (ci_id, kind, value, position) SELECT ci_id, kind, value, position FROM ci_identifiers;
DROP TABLE ci_identifiers;
ALTER TABLE ci_identifiers_rebuilt RENAME TO ci_identifiers;
CREATE INDEX ci_identifiers_ci ON ci_identifiers (ci_id);

CREATE TABLE ci_relations_rebuilt (
    id         INTEGER PRIMARY KEY,
    source_id  BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    target_id  BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    type       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (source_id <> target_id)
);
INSERT INTO ci_relations_rebuilt (id, source_id, target_id, type, created_at) SELECT id, source_id, target_id, type, created_at FROM ci_relations;
DROP TABLE ci_relations;
ALTER TABLE ci_relations_rebuilt RENAME TO ci_relations;
CREATE UNIQUE INDEX ci_relations_edge ON ci_relations (source_id, target_id, type);
CREATE INDEX ci_relations_target ON ci_relations (target_id, source_id, type);

CREATE TABLE user_roles_rebuilt (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_rebuilt (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_rebuilt RENAME TO user_roles;
