-- SLA practice: business-hours schedules with holidays, SLA and OLA
-- definitions chosen by conditions on a record, and one clock row per
-- record and definition. A clock's due time and the time the poller must
-- next look at it (next warning or breach) are stored on the row, so due
-- clocks are found by one indexed range scan: no timers in memory, and any
-- replica's poller sees the same work. record_kind is open (incident now;
-- vulnerability and change later) and checked in Go.
CREATE TABLE sla_schedules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    time_zone   TEXT NOT NULL,
    hours       TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX sla_schedules_name ON sla_schedules (name);

CREATE TABLE sla_holidays (
    schedule_id INTEGER NOT NULL REFERENCES sla_schedules (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (schedule_id, day)
);

-- Definitions are never deleted while clocks refer to them: admins
-- deactivate them instead.
CREATE TABLE sla_definitions (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    record_kind        TEXT NOT NULL,
    kind               TEXT NOT NULL,
    target             TEXT NOT NULL,
    duration_seconds   BIGINT NOT NULL,
    schedule_id        INTEGER NOT NULL REFERENCES sla_schedules (id),
    conditions         TEXT NOT NULL DEFAULT '{}',
    pause_on           TEXT NOT NULL DEFAULT '[]',
    warnings           TEXT NOT NULL DEFAULT '[]',
    on_priority_change TEXT NOT NULL,
    active             BOOLEAN NOT NULL DEFAULT TRUE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX sla_definitions_name ON sla_definitions (name);
CREATE INDEX sla_definitions_schedule ON sla_definitions (schedule_id);

-- Durations are business time in microseconds. resumed_at is when business
-- time last started running (NULL while paused or stopped); paused_at is
-- when the current pause began; next_at is NULL once nothing is left to
-- raise.
CREATE TABLE sla_clocks (
    id               INTEGER PRIMARY KEY,
    record_kind      TEXT NOT NULL,
    record_id        BIGINT NOT NULL,
    definition_id    INTEGER NOT NULL REFERENCES sla_definitions (id),
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    target           TEXT NOT NULL,
    duration_us      BIGINT NOT NULL,
    state            TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    resumed_at       TEXT,
    elapsed_us       BIGINT NOT NULL DEFAULT 0,
    paused_at        TEXT,
    paused_total_us  BIGINT NOT NULL DEFAULT 0,
    due_at           TEXT,
    warned           INTEGER NOT NULL DEFAULT 0,
    next_at          TEXT,
    breached_at      TEXT,
    stopped_at       TEXT,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sla_clocks_record ON sla_clocks (record_kind, record_id);
-- The poller's range scan: only clocks with something left to raise.
CREATE INDEX sla_clocks_next ON sla_clocks (next_at, id) WHERE next_at IS NOT NULL;
-- "Breaching soon" lists and attainment read active clocks by due time.
CREATE INDEX sla_clocks_due ON sla_clocks (due_at, id) WHERE stopped_at IS NULL;
CREATE INDEX sla_clocks_definition ON sla_clocks (definition_id);
-- Attainment and mean times read recently stopped clocks.
CREATE INDEX sla_clocks_stopped ON sla_clocks (stopped_at) WHERE stopped_at IS NOT NULL;

-- Defaults: a 24x7 schedule, office hours, and a response and a resolution
-- SLA per incident priority (P1 and P2 around the clock). Clocks pause
-- while the incident awaits the caller or a vendor.
INSERT INTO sla_schedules (id, name, description, time_zone, hours, version, created_at, updated_at) VALUES (1, '24x7', 'Around the clock, every day of the year.', 'UTC', '{"sunday":["00:00-24:00"],"monday":["00:00-24:00"],"tuesday":["00:00-24:00"],"wednesday":["00:00-24:00"],"thursday":["00:00-24:00"],"friday":["00:00-24:00"],"saturday":["00:00-24:00"]}', 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_schedules (id, name, description, time_zone, hours, version, created_at, updated_at) VALUES (2, 'Business hours', 'Monday to Friday, 09:00 to 17:00 UTC. Edit the zone, hours and holidays to match the service desk.', 'UTC', '{"monday":["09:00-17:00"],"tuesday":["09:00-17:00"],"wednesday":["09:00-17:00"],"thursday":["09:00-17:00"],"friday":["09:00-17:00"]}', 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (1, 'P1 response', 'Default response target for priority 1 incidents, counted around the clock.', 'incident', 'sla', 'response', 900, 1, '{"priorities":[1]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (2, 'P1 resolution', 'Default resolution target for priority 1 incidents, counted around the clock.', 'incident', 'sla', 'resolution', 14400, 1, '{"priorities":[1]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (3, 'P2 response', 'Default response target for priority 2 incidents, counted around the clock.', 'incident', 'sla', 'response', 1800, 1, '{"priorities":[2]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (4, 'P2 resolution', 'Default resolution target for priority 2 incidents, counted around the clock.', 'incident', 'sla', 'resolution', 28800, 1, '{"priorities":[2]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (5, 'P3 response', 'Default response target for priority 3 incidents, counted in business hours.', 'incident', 'sla', 'response', 14400, 2, '{"priorities":[3]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (6, 'P3 resolution', 'Default resolution target for priority 3 incidents, counted in business hours.', 'incident', 'sla', 'resolution', 86400, 2, '{"priorities":[3]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (7, 'P4 response', 'Default response target for priority 4 incidents, counted in business hours.', 'incident', 'sla', 'response', 28800, 2, '{"priorities":[4]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (8, 'P4 resolution', 'Default resolution target for priority 4 incidents, counted in business hours.', 'incident', 'sla', 'resolution', 144000, 2, '{"priorities":[4]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (9, 'P5 response', 'Default response target for priority 5 incidents, counted in business hours.', 'incident', 'sla', 'response', 57600, 2, '{"priorities":[5]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
INSERT INTO sla_definitions (id, name, description, record_kind, kind, target, duration_seconds, schedule_id, conditions, pause_on, warnings, on_priority_change, active, version, created_at, updated_at)
    VALUES (10, 'P5 resolution', 'Default resolution target for priority 5 incidents, counted in business hours.', 'incident', 'sla', 'resolution', 288000, 2, '{"priorities":[5]}', '["awaiting_caller","awaiting_vendor"]', '[50,75,90]', 'keep_elapsed', TRUE, 1, '2026-12-01T00:00:00.000000Z', '2026-12-01T00:00:00.000000Z');
