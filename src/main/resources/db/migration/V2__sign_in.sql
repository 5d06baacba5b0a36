-- Interactive sign-in: browser sessions, consents, authorization codes and refresh tokens.
-- Codes, refresh tokens and session ids are stored only as SHA-256 hashes (base64).

ALTER TABLE tenants ADD COLUMN refresh_token_idle_ttl INTEGER NOT NULL DEFAULT 604800;
ALTER TABLE tenants ADD COLUMN refresh_token_absolute_ttl INTEGER NOT NULL DEFAULT 2592000;

ALTER TABLE clients ADD COLUMN require_pkce INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clients ADD COLUMN consent TEXT NOT NULL DEFAULT 'required';

-- One row per browser session per realm; subject_id is null until the user signs in.
CREATE TABLE browser_sessions (
    id_hash           TEXT   NOT NULL PRIMARY KEY,
    tenant_id         TEXT   NOT NULL,
    realm             TEXT   NOT NULL,
    subject_id        TEXT,
    csrf_token        TEXT   NOT NULL,
    created_at        BIGINT NOT NULL,
    last_seen_at      BIGINT NOT NULL,
    authenticated_at  BIGINT
);
CREATE INDEX browser_sessions_by_last_seen ON browser_sessions (last_seen_at);

-- A remembered consent covers requests for any subset of its scopes.
CREATE TABLE consents (
    tenant_id    TEXT   NOT NULL,
    realm        TEXT   NOT NULL,
    subject_id   TEXT   NOT NULL,
    client_id    TEXT   NOT NULL,
    scope        TEXT   NOT NULL,
    granted_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, realm, subject_id, client_id, scope)
);

CREATE TABLE authorization_codes (
    code_hash       TEXT   NOT NULL PRIMARY KEY,
    tenant_id       TEXT   NOT NULL,
    realm           TEXT   NOT NULL,
    client_id       TEXT   NOT NULL,
    redirect_uri    TEXT   NOT NULL,
    subject_id      TEXT   NOT NULL,
    scope           TEXT   NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    consumed_at     BIGINT,
    family_id       TEXT
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

-- A family is one sign-in's chain of refresh tokens; reuse of a rotated token revokes it whole.
CREATE TABLE refresh_families (
    id                   TEXT   NOT NULL PRIMARY KEY,
    tenant_id            TEXT   NOT NULL,
    realm                TEXT   NOT NULL,
    client_id            TEXT   NOT NULL,
    subject_id           TEXT   NOT NULL,
    scope                TEXT   NOT NULL,
    created_at           BIGINT NOT NULL,
    absolute_expires_at  BIGINT NOT NULL,
    revoked_at           BIGINT
);

CREATE TABLE refresh_tokens (
    token_hash    TEXT   NOT NULL PRIMARY KEY,
    family_id     TEXT   NOT NULL REFERENCES refresh_families(id),
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    consumed_at   BIGINT
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);

-- Failed sign-ins, shared by every instance: by account and by client address.
CREATE TABLE login_failures (
    throttle_key     TEXT   NOT NULL PRIMARY KEY,
    failures         INTEGER NOT NULL,
    first_failed_at  BIGINT NOT NULL,
    next_allowed_at  BIGINT NOT NULL
);
