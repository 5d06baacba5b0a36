-- A tenant's settings for clients it has not registered by hand and for bound tokens (dev.portcullis.tenant.AuthorizationSettings).
-- Lists are space-separated: resource URIs, host names and scope names cannot hold a space, and the whole
-- setting stays on the tenant's row, which the tenant cache and the admin API read in one query.
ALTER TABLE tenants ADD COLUMN resources TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN client_id_metadata_documents INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN metadata_document_hosts TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN dynamic_registration INTEGER NOT NULL DEFAULT 0;
-- base64url SHA-256 of the initial access token; NULL: open registration (when registration is on)
ALTER TABLE tenants ADD COLUMN registration_token_hash TEXT;
ALTER TABLE tenants ADD COLUMN registration_scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN require_par INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN dpop_nonce INTEGER NOT NULL DEFAULT 0;

-- The resources (RFC 8707) an authorization request named, carried by its code into the refresh family, so that
-- every access token of the sign-in is bound to one of them.
ALTER TABLE authorization_codes ADD COLUMN resources TEXT NOT NULL DEFAULT '';
ALTER TABLE refresh_families ADD COLUMN resources TEXT NOT NULL DEFAULT '';
