-- Each tenant's request rate limits (dev.portcullis.tenant.RateLimitPolicy, the tenants file's rate_limits), in
-- requests per minute; 0 means no limit, which is what existing tenants keep.
ALTER TABLE tenants ADD COLUMN rate_token_per_client INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN rate_token_per_address INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN rate_authorize_per_address INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN rate_login_per_address INTEGER NOT NULL DEFAULT 0;
