-- Token Exchange (RFC 8693 as eGain documents it): only clients with token_exchange may use the grant,
-- and external tokens are accepted only from identity providers registered per tenant and realm.
ALTER TABLE clients ADD COLUMN token_exchange INTEGER NOT NULL DEFAULT 0;

-- eGain's "SSO Provider" registrations. audiences and algorithms are JSON arrays of strings;
-- jwks_uri is NULL when the keys are found through the issuer's metadata.
CREATE TABLE identity_providers (
    tenant_id              TEXT    NOT NULL REFERENCES tenants(id),
    registration_id        TEXT    NOT NULL,
    name                   TEXT    NOT NULL,
    realm                  TEXT    NOT NULL,
    issuer                 TEXT    NOT NULL,
    jwks_uri               TEXT,
    audiences              TEXT    NOT NULL,
    algorithms             TEXT    NOT NULL,
    user_claim             TEXT    NOT NULL,
    allow_private_network  INTEGER NOT NULL DEFAULT 0,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, registration_id)
);
