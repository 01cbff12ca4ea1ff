-- Incidents and security incidents (SQLite). Keep in step with
-- postgres/0008_incidents.sql.
--
-- security is the restricted flag the visibility predicate reads
-- (store.Visible): a security incident shows only to security analysts,
-- admins and the users and teams in incident_shares. caller_id is the
-- owner column: requesters see the incidents they are the caller of.
-- search holds the lower-cased key and short description for ?q=.
-- States, categories and codes are validated in Go (internal/incident).
CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL,
    short_description   TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    caller_id           BIGINT REFERENCES users (id) ON DELETE SET NULL,
    category            TEXT NOT NULL DEFAULT '',
    subcategory         TEXT NOT NULL DEFAULT '',
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
    urgency             INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
    priority            INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    state               TEXT NOT NULL,
    on_hold_reason      TEXT NOT NULL DEFAULT '',
    resolution_code     TEXT NOT NULL DEFAULT '',
    resolution_notes    TEXT NOT NULL DEFAULT '',
    assignment_group_id BIGINT REFERENCES teams (id) ON DELETE SET NULL,
    assignee_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
    parent_id           BIGINT REFERENCES incidents (id) ON DELETE SET NULL,
    major               BOOLEAN NOT NULL DEFAULT FALSE,
    security            BOOLEAN NOT NULL DEFAULT FALSE,
    attack_vector       TEXT NOT NULL DEFAULT '',
    response_phase      TEXT NOT NULL DEFAULT '',
    reassignment_count  INTEGER NOT NULL DEFAULT 0,
    reopen_count        INTEGER NOT NULL DEFAULT 0,
    search              TEXT NOT NULL DEFAULT '',
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    first_response_at   TEXT,
    resolved_at         TEXT,
    closed_at           TEXT
);
CREATE UNIQUE INDEX incidents_key ON incidents (key);
CREATE INDEX incidents_updated ON incidents (updated_at, id);
CREATE INDEX incidents_priority ON incidents (priority, id);
CREATE INDEX incidents_state ON incidents (state, priority, id);
CREATE INDEX incidents_caller ON incidents (caller_id, id);
CREATE INDEX incidents_assignee ON incidents (assignee_id, id);
CREATE INDEX incidents_group ON incidents (assignment_group_id, id);
CREATE INDEX incidents_parent ON incidents (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX incidents_resolved ON incidents (resolved_at) WHERE resolved_at IS NOT NULL;

-- Affected CIs, and the business services impact analysis derived from
-- them (path: the CI keys from an affected CI to the service, JSON).
CREATE TABLE incident_cis (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    ci_id       BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, ci_id)
);
CREATE INDEX incident_cis_ci ON incident_cis (ci_id);

CREATE TABLE incident_services (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    ci_id       BIGINT NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    path        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (incident_id, ci_id)
);
CREATE INDEX incident_services_ci ON incident_services (ci_id);

-- MITRE ATT&CK technique ids and observables of security incidents.
CREATE TABLE incident_techniques (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    technique   TEXT NOT NULL,
    PRIMARY KEY (incident_id, technique)
);

CREATE TABLE incident_observables (
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (incident_id, kind, value)
);
CREATE INDEX incident_observables_value ON incident_observables (kind, value);

-- Work notes (staff) and comments (the caller too), oldest first.
CREATE TABLE incident_notes (
    id          INTEGER PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX incident_notes_incident ON incident_notes (incident_id, id);

-- What happened to an incident, for its timeline: state changes (from,
-- to), reassignments (from, to: group/assignee), links to a parent.
CREATE TABLE incident_events (
    id          INTEGER PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    from_value  TEXT NOT NULL DEFAULT '',
    to_value    TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- Who a (security) incident is shared with: one user or one team a row.
CREATE TABLE incident_shares (
    id          INTEGER PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES users (id) ON DELETE CASCADE,
    team_id     BIGINT REFERENCES teams (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX incident_shares_user ON incident_shares (incident_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX incident_shares_team ON incident_shares (incident_id, team_id) WHERE team_id IS NOT NULL;
CREATE INDEX incident_shares_user_id ON incident_shares (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX incident_shares_team_id ON incident_shares (team_id) WHERE team_id IS NOT NULL;

-- An incident that left some readers' view (it became a security
-- incident) leaves a tombstone for incremental sync. caller_id is its
-- caller then: a requester sees the tombstones of incidents they could
-- see. Readers cleared for security incidents do not see them.
CREATE TABLE incident_tombstones (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    caller_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    deleted_at TEXT NOT NULL
);
CREATE INDEX incident_tombstones_deleted ON incident_tombstones (deleted_at, id);

-- The priority matrix: configuration data, one row per impact and
-- urgency, changed by admins (audited). Seeded with the ITIL matrix.
CREATE TABLE incident_priority_matrix (
    impact   INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
    urgency  INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    PRIMARY KEY (impact, urgency)
);
INSERT INTO incident_priority_matrix (impact, urgency, priority) VALUES
    (1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 2), (2, 2, 3), (2, 3, 4), (3, 1, 3), (3, 2, 4), (3, 3, 5);
