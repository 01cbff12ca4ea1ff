-- Foundation schema (SQLite). Keep in step with postgres/0001_foundation.sql:
-- the schema-equivalence test compares tables, columns, nullability and
-- unique indexes of both. Times are TEXT in the fixed UTC layout of
-- store/time.go, so text order is time order.

CREATE TABLE counters (
    kind       TEXT PRIMARY KEY,
    last_value BIGINT NOT NULL
);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY, -- the rowid: one b-tree fewer to write per entry
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    record_kind  TEXT NOT NULL,
    record_key   TEXT NOT NULL,
    before_state TEXT,
    after_state  TEXT,
    changes      TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_kind, record_key, seq);
CREATE INDEX audit_log_at ON audit_log (at, seq);

-- The log is append-only for the application: these triggers refuse edits.
-- Someone with direct database access can drop them; the hash chain is
-- what proves such an edit happened (rampart audit verify).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (name);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL,
    display_name         TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL DEFAULT '',
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX users_updated ON users (updated_at, id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'security_analyst', 'change_manager', 'approver', 'auditor', 'requester')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE cis (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL,
    name                TEXT NOT NULL,
    name_lower          TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('business_service', 'application', 'server', 'virtual_machine', 'container', 'cluster', 'database', 'network_device', 'endpoint', 'cloud_resource', 'identity_provider', 'saas_application')),
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
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX cis_key ON cis (key);
CREATE INDEX cis_name ON cis (name_lower, id);
CREATE INDEX cis_kind ON cis (kind, id);
-- Partial: most CIs (everything discovered) have no owner or support group,
-- and an index entry per NULL would cost every import two writes per CI.
-- "owner_id = $1" implies the condition, so lookups still use them.
CREATE INDEX cis_owner ON cis (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX cis_support_group ON cis (support_group_id) WHERE support_group_id IS NOT NULL;
CREATE INDEX cis_updated ON cis (updated_at, id);

-- Identifiers used to reconcile discovered assets with existing CIs. One
-- identifier belongs to one CI: that uniqueness is what stops duplicates.
CREATE TABLE ci_identifiers (
    ci_id    BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('hostname', 'fqdn', 'ip', 'mac', 'serial', 'cloud_id')),
    value    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0, -- order within the kind, as the user gave it
    PRIMARY KEY (kind, value)
) WITHOUT ROWID; -- the key is the row: one b-tree fewer to write per identifier
-- Lookups and prefix searches go through the primary key, kind by kind.
CREATE INDEX ci_identifiers_ci ON ci_identifiers (ci_id);

CREATE TABLE ci_tags (
    ci_id BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    tag   TEXT NOT NULL,
    PRIMARY KEY (ci_id, tag)
) WITHOUT ROWID;
CREATE INDEX ci_tags_tag ON ci_tags (tag, ci_id);

-- A relationship reads "source <type> target": the source needs the target.
CREATE TABLE ci_relations (
    id         INTEGER PRIMARY KEY,
    source_id  BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    target_id  BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    type       TEXT NOT NULL CHECK (type IN ('depends_on', 'runs_on', 'hosted_on', 'connects_to', 'member_of')),
    created_at TEXT NOT NULL,
    CHECK (source_id <> target_id)
);
CREATE UNIQUE INDEX ci_relations_edge ON ci_relations (source_id, target_id, type);
-- Impact analysis walks both ways in batches of ids: downstream reads this
-- index, upstream ci_relations_edge; both carry the type so neither
-- needs the table row on SQLite.
CREATE INDEX ci_relations_target ON ci_relations (target_id, source_id, type);

CREATE TABLE imports (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    format     TEXT NOT NULL,
    filename   TEXT NOT NULL DEFAULT '',
    actor      TEXT NOT NULL,
    created    INTEGER NOT NULL DEFAULT 0,
    updated    INTEGER NOT NULL DEFAULT 0,
    unchanged  INTEGER NOT NULL DEFAULT 0,
    rejected   INTEGER NOT NULL DEFAULT 0,
    report     TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX imports_key ON imports (key);

-- Durable background work. A job is claimed by setting status 'running' and
-- a lease; a runner that dies leaves a lease that expires and the job is
-- claimed again. Failed jobs retry with backoff, then go 'dead' for admins.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    queue        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at       TEXT NOT NULL,
    locked_by    TEXT,
    locked_until TEXT,
    last_error   TEXT,
    unique_key   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (queue, status, run_at, id);
CREATE INDEX jobs_status ON jobs (status, id);
-- unique_key is set while a job that must exist at most once (a recurring
-- job) is queued or running, and cleared when it ends; NULLs never conflict.
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key);
