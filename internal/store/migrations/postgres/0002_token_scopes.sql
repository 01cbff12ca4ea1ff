-- API token scopes. Keep in step with the other engine's 0002_token_scopes.sql.
--
-- A token's scopes limit what it may be used for, within its user's roles:
-- full (everything), read (no writes), metrics (GET /metrics only). Stored
-- as one space-separated column, validated in Go (auth.TokenScope), so a
-- new scope (one ingest source) is not a schema change. Tokens issued
-- before scopes existed keep full.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'full';
