-- Portable between SQLite and PostgreSQL: TEXT, BIGINT epoch seconds, INTEGER 0/1 flags,
-- base64 text for binary values. Every lookup on the token hot path has its own index.

CREATE TABLE tenants (
    id                     TEXT    NOT NULL PRIMARY KEY,
    name                   TEXT    NOT NULL,
    access_token_ttl       INTEGER NOT NULL,
    enabled                INTEGER NOT NULL DEFAULT 1,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);

CREATE TABLE scopes (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    description  TEXT,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE clients (
    tenant_id         TEXT    NOT NULL REFERENCES tenants(id),
    client_id         TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    platform          TEXT    NOT NULL,
    access_token_ttl  INTEGER,
    enabled           INTEGER NOT NULL DEFAULT 1,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, client_id)
);

CREATE TABLE client_scopes (
    tenant_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    scope_name  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_id, scope_name),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, client_id)
);

CREATE TABLE client_redirect_uris (
    tenant_id     TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_id, redirect_uri),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, client_id)
);

-- Only the SHA-256 of a secret is kept; secrets are 256-bit random values (or at least 32 characters).
CREATE TABLE client_secrets (
    id           TEXT   NOT NULL PRIMARY KEY,
    tenant_id    TEXT   NOT NULL,
    client_id    TEXT   NOT NULL,
    secret_hash  TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, client_id)
);
CREATE INDEX client_secrets_by_client ON client_secrets (tenant_id, client_id);

-- Agents (realm U) and customers (realm C). Lookup keys are lower-cased for case-insensitive matching.
CREATE TABLE subjects (
    tenant_id      TEXT    NOT NULL REFERENCES tenants(id),
    realm          TEXT    NOT NULL,
    id             TEXT    NOT NULL,
    username       TEXT,
    username_key   TEXT,
    email          TEXT,
    email_key      TEXT,
    password_hash  TEXT,
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, realm, id)
);
CREATE UNIQUE INDEX subjects_by_username ON subjects (tenant_id, realm, username_key) WHERE username_key IS NOT NULL;
CREATE UNIQUE INDEX subjects_by_email ON subjects (tenant_id, realm, email_key) WHERE email_key IS NOT NULL;

-- Signing keys, one active key per tenant and algorithm; the private key is AES-GCM encrypted
-- under the master key so several instances on one database share keys without sharing plaintext.
CREATE TABLE signing_keys (
    kid                    TEXT   NOT NULL PRIMARY KEY,
    tenant_id              TEXT   NOT NULL REFERENCES tenants(id),
    algorithm              TEXT   NOT NULL,
    status                 TEXT   NOT NULL,
    public_jwk             TEXT   NOT NULL,
    private_key_encrypted  TEXT   NOT NULL,
    created_at             BIGINT NOT NULL
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id, algorithm) WHERE status = 'active';
CREATE INDEX signing_keys_by_tenant ON signing_keys (tenant_id);

-- Bumped in the same transaction as every configuration change, so that every instance
-- can drop its caches after a change made by another instance or by the CLI.
CREATE TABLE config_revision (
    id        INTEGER NOT NULL PRIMARY KEY,
    revision  BIGINT  NOT NULL
);
INSERT INTO config_revision (id, revision) VALUES (1, 0);
