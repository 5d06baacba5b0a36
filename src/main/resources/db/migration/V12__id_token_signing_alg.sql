-- The algorithm a client registered for its ID tokens (id_token_signed_response_alg); NULL: the tenant's.
ALTER TABLE clients ADD COLUMN id_token_signed_response_alg TEXT;
-- A key that signs only ID tokens, for clients asking for an algorithm other than the tenant's
-- ('idtoken'; 'idtoken_retiring' once replaced, published until its last ID token has expired).
-- One per tenant and algorithm: the index also decides between instances creating it at once.
CREATE UNIQUE INDEX signing_keys_one_idtoken ON signing_keys (tenant_id, algorithm) WHERE status = 'idtoken';
