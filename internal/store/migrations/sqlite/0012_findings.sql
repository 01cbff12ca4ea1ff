-- Vulnerability management (docs/vuln.md). Keep in step with the other
-- engine's 0012_findings.sql.
--
-- A target is what a scanner scanned, by the key of its identity
-- (vuln.Target.Key: "host:10.0.0.5", "image:python:3.6"), matched to at
-- most one CI by the CMDB's identifiers; findings hang off it, so a
-- million findings on ten thousand targets match ten thousand times.
CREATE TABLE finding_targets (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '{}',
    ci_id         BIGINT REFERENCES cis (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX finding_targets_key ON finding_targets (key);
CREATE INDEX finding_targets_ci ON finding_targets (ci_id);

-- The last scan of a target by each scanner: a later scan that no longer
-- reports a finding closes it.
CREATE TABLE finding_scans (
    target_id     BIGINT NOT NULL REFERENCES finding_targets (id) ON DELETE CASCADE,
    scanner       TEXT NOT NULL,
    import_id     BIGINT NOT NULL,
    scanned_at    TEXT NOT NULL,
    PRIMARY KEY (target_id, scanner)
);

-- One row per finding identity (vuln.Identity.Key, 32 hex digits). The
-- columns are what lists filter and sort on; data keeps the whole
-- normalised finding (every CVSS vector, texts, references). content is a
-- digest of everything an import would write, so an import that would
-- write the same leaves the row alone.
CREATE TABLE findings (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL,
    identity          TEXT NOT NULL,
    target_id         BIGINT NOT NULL REFERENCES finding_targets (id),
    kind              TEXT NOT NULL,
    identifier        TEXT NOT NULL,
    package           TEXT NOT NULL DEFAULT '',
    installed_version TEXT NOT NULL DEFAULT '',
    fixed_version     TEXT NOT NULL DEFAULT '',
    path              TEXT NOT NULL DEFAULT '',
    line              INTEGER NOT NULL DEFAULT 0,
    endpoint          TEXT NOT NULL DEFAULT '',
    scanner           TEXT NOT NULL,
    severity          TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    cvss_version      TEXT NOT NULL DEFAULT '',
    cvss_vector       TEXT NOT NULL DEFAULT '',
    cvss_score        REAL,
    epss              REAL,
    kev               BOOLEAN NOT NULL DEFAULT FALSE,
    kev_due_at        TEXT,
    risk_score        REAL NOT NULL DEFAULT 0,
    priority          TEXT NOT NULL,
    priority_rank     INTEGER NOT NULL,
    priority_reasons  TEXT NOT NULL DEFAULT '[]',
    state             TEXT NOT NULL CHECK (state IN ('open', 'in_remediation', 'fixed', 'reopened', 'risk_accepted', 'false_positive')),
    decision          TEXT NOT NULL DEFAULT '{}',
    exception_expires_at TEXT,
    due_at            TEXT,
    due_source        TEXT NOT NULL DEFAULT '',
    first_seen_at     TEXT NOT NULL,
    last_seen_at      TEXT NOT NULL,
    fixed_at          TEXT,
    updated_at        TEXT NOT NULL,
    content           TEXT NOT NULL,
    data              TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX findings_key ON findings (key);
CREATE UNIQUE INDEX findings_identity ON findings (identity);
-- Indexes measured on 100,000 findings: the list walks the priority
-- index in its order; the filters that select few rows (a priority, KEV)
-- walk their own; closing what a rescan no longer reports reads each
-- scanned target's active identities from findings_target alone; the
-- poller finds expired risk acceptances by theirs. updated_since walks
-- the priority index (one index less to keep per insert).
CREATE INDEX findings_priority ON findings (priority_rank, id);
CREATE INDEX findings_kev ON findings (kev, priority_rank, id);
CREATE INDEX findings_target ON findings (target_id, scanner, state, identity);
CREATE INDEX findings_identifier ON findings (identifier);
CREATE INDEX findings_exception_expiry ON findings (exception_expires_at);

-- CVEs of a finding other than its identifier (a GHSA finding's CVE, the
-- CVEs an OpenVAS NVT names), so ?cve= and the feeds find it; a Trivy
-- finding whose identifier is its CVE needs no row here.
CREATE TABLE finding_cves (
    cve        TEXT NOT NULL,
    finding_id BIGINT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    PRIMARY KEY (cve, finding_id)
);
CREATE INDEX finding_cves_finding ON finding_cves (finding_id);

-- Local copies of the threat feeds (rampart import kev|epss FILE).
CREATE TABLE vuln_kev (
    cve        TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE vuln_epss (
    cve           TEXT PRIMARY KEY,
    epss          REAL NOT NULL,
    percentile    REAL NOT NULL,
    model_version TEXT NOT NULL DEFAULT '',
    score_date    TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
);

-- Scanner imports keep their own counts (findings read, fixed, reopened,
-- unmatched targets, the report's SHA-256) beside the CMDB's.
ALTER TABLE imports ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
