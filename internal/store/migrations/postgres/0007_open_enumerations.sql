-- Open enumerations leave the schema (PostgreSQL). Keep in step with
-- sqlite/0007_open_enumerations.sql, which says why: roles, CI kinds,
-- identifier kinds and relation types are validated in Go, so adding one is a code
-- change. Closed facts keep their CHECK.
-- IF EXISTS: the audit streams migration may have dropped it already.
ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check;
ALTER TABLE cis DROP CONSTRAINT cis_kind_check;
ALTER TABLE ci_identifiers DROP CONSTRAINT ci_identifiers_kind_check;
ALTER TABLE ci_relations DROP CONSTRAINT ci_relations_type_check;
