-- Dynamic Client Registration (RFC 7591, managed per RFC 7592) and Pushed Authorization Requests (RFC 9126).

-- A client may require that its authorization requests are pushed first (as a tenant may, tenants.require_par).
ALTER TABLE clients ADD COLUMN require_par INTEGER NOT NULL DEFAULT 0;

-- A client that registered itself at {realm}/oauth2/register. The client is an ordinary row of clients (so every
-- policy applies and administrators see it); this row marks it as dynamically registered and holds what RFC 7591
-- adds: the SHA-256 (base64) of its registration access token, never the token, and the metadata clients has no
-- column for. grant_types and response_types are space-separated. Deleting the registration deletes the client.
CREATE TABLE client_registrations (
    tenant_id                   TEXT   NOT NULL,
    client_id                   TEXT   NOT NULL,
    registration_token_hash     TEXT   NOT NULL,
    token_endpoint_auth_method  TEXT   NOT NULL,
    grant_types                 TEXT   NOT NULL,
    response_types              TEXT   NOT NULL,
    software_id                 TEXT,
    software_version            TEXT,
    registered_at               BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, client_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, client_id)
);

-- A pushed authorization request: the validated parameters (a URL-encoded query string, re-validated when used),
-- found by the SHA-256 (base64) of the request_uri that stands for them, so every instance on the database finds it.
-- The first authorize request claims it (claimed_at) and swaps the hash for a new value only that browser holds;
-- signed_in_at records that the user signed in for it; the code's issue deletes it.
CREATE TABLE pushed_authorization_requests (
    request_uri_hash  TEXT   NOT NULL PRIMARY KEY,
    tenant_id         TEXT   NOT NULL,
    realm             TEXT   NOT NULL,
    client_id         TEXT   NOT NULL,
    parameters        TEXT   NOT NULL,
    created_at        BIGINT NOT NULL,
    expires_at        BIGINT NOT NULL,
    claimed_at        BIGINT,
    signed_in_at      BIGINT
);
CREATE INDEX pushed_authorization_requests_by_expiry ON pushed_authorization_requests (expires_at);
CREATE INDEX pushed_authorization_requests_by_client ON pushed_authorization_requests (tenant_id, client_id);
