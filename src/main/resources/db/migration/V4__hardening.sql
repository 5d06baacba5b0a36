-- A code's redemption remembers the access token it produced, so that a replay of the code
-- (RFC 9700 section 4.5) can deny that token as well as the refresh family.
ALTER TABLE authorization_codes ADD COLUMN access_token_jti TEXT;
ALTER TABLE authorization_codes ADD COLUMN access_token_expires_at BIGINT;

-- Client secrets may be human-chosen (tenants file), so a database dump must not allow offline
-- guessing: new hashes are HMAC-SHA-256 under a key derived from the master key, over the old
-- SHA-256, which lets existing rows be upgraded in place at start (ClientSecretHasher.upgrade).
ALTER TABLE client_secrets ADD COLUMN hash_scheme TEXT NOT NULL DEFAULT 'sha256';
