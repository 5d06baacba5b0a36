-- Signing-key lifecycle: a rotated-in key is published ('next') before it signs ('active'), and the
-- key it replaces stays published ('retiring') until the last token it signed has expired.
ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT;
ALTER TABLE signing_keys ADD COLUMN retires_at BIGINT;
-- At most one key waits to become active per tenant and algorithm: the index is also what keeps two
-- instances running the scheduled rotation at once from rotating twice.
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (tenant_id, algorithm) WHERE status = 'next';
-- Earlier releases never wrote 'retired'; any such row is a published, non-signing key.
UPDATE signing_keys SET status = 'retiring' WHERE status = 'retired';

ALTER TABLE tenants ADD COLUMN signing_key_rotation_days INTEGER NOT NULL DEFAULT 90;
