-- Signing algorithm and access-token typ per tenant. NULL signing_alg follows the server's signing_alg.
ALTER TABLE tenants ADD COLUMN signing_alg TEXT;
ALTER TABLE tenants ADD COLUMN access_token_typ TEXT NOT NULL DEFAULT 'at+jwt';

-- One active and one waiting key per tenant, whatever their algorithms (the indexes were per tenant and
-- algorithm). A server whose signing_alg was changed left a tenant an active key of each algorithm: the
-- newest one, made for the latest setting, keeps signing; the others stay published as retiring keys
-- (without a date, so the key schedule gives them the longest token lifetime from its next run).
UPDATE signing_keys SET status = 'retiring' WHERE status = 'active' AND EXISTS (
    SELECT 1 FROM signing_keys newer WHERE newer.tenant_id = signing_keys.tenant_id AND newer.status = 'active'
        AND (newer.created_at > signing_keys.created_at OR (newer.created_at = signing_keys.created_at AND newer.kid > signing_keys.kid)));
-- A waiting key has never signed, so the older of two can go.
DELETE FROM signing_keys WHERE status = 'next' AND EXISTS (
    SELECT 1 FROM signing_keys newer WHERE newer.tenant_id = signing_keys.tenant_id AND newer.status = 'next'
        AND (newer.created_at > signing_keys.created_at OR (newer.created_at = signing_keys.created_at AND newer.kid > signing_keys.kid)));
DROP INDEX signing_keys_one_active;
DROP INDEX signing_keys_one_next;
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (tenant_id) WHERE status = 'active';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (tenant_id) WHERE status = 'next';
