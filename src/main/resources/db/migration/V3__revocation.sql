-- Revoked JWT access tokens, by jti, kept only until the token would have expired anyway.
-- Issuing a token writes nothing; only an explicit revocation adds a row.
CREATE TABLE revoked_access_tokens (
    jti         TEXT   NOT NULL PRIMARY KEY,
    tenant_id   TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX revoked_access_tokens_by_expiry ON revoked_access_tokens (expires_at);
