-- Signing a subject out everywhere (the admin API's sessions endpoint, disabling a user) finds its sessions,
-- refresh token families and pending codes by subject; without these it would scan each table.
CREATE INDEX browser_sessions_by_subject ON browser_sessions (tenant_id, realm, subject_id);
CREATE INDEX refresh_families_by_subject ON refresh_families (tenant_id, realm, subject_id);
CREATE INDEX authorization_codes_by_subject ON authorization_codes (tenant_id, realm, subject_id);
