-- DPoP (RFC 9449). Every proof a token request (or the userinfo endpoint) accepted, by a hash of its key
-- thumbprint and jti, until its iat window has passed: a proof replayed at any instance hits the primary key.
-- Housekeeping deletes expired rows.
CREATE TABLE dpop_proofs (
    proof_hash  TEXT   NOT NULL PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX dpop_proofs_by_expiry ON dpop_proofs (expires_at);

-- The RFC 7638 SHA-256 thumbprint a code was bound to on authorize (dpop_jkt), which its redemption must prove.
ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT;
-- The key a public client's refresh tokens are bound to, since the sign-in that started the family used DPoP.
ALTER TABLE refresh_families ADD COLUMN dpop_jkt TEXT;
