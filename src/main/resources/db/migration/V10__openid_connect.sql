-- OpenID Connect: an ID token states when the user authenticated (auth_time) and in which browser
-- session (sid), so both travel with the code and stay with the refresh family that a sign-in starts;
-- a refresh's new ID token repeats them. session_id is an opaque value derived from the session,
-- never the hash of its cookie. Rows written before this release have neither: no ID token for them.
ALTER TABLE authorization_codes ADD COLUMN auth_time BIGINT;
ALTER TABLE authorization_codes ADD COLUMN session_id TEXT;
ALTER TABLE refresh_families ADD COLUMN auth_time BIGINT;
ALTER TABLE refresh_families ADD COLUMN session_id TEXT;

-- RP-Initiated Logout: where a client may send the browser after signing out, matched exactly.
CREATE TABLE client_post_logout_redirect_uris (
    tenant_id     TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_id, redirect_uri),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, client_id)
);
