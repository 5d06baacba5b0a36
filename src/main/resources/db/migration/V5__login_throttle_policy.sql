-- Each tenant's sign-in throttling (LoginThrottlePolicy, the tenants file's login_throttle);
-- existing tenants get the defaults.
ALTER TABLE tenants ADD COLUMN login_account_free_failures INTEGER NOT NULL DEFAULT 5;
ALTER TABLE tenants ADD COLUMN login_account_max_delay INTEGER NOT NULL DEFAULT 300;
ALTER TABLE tenants ADD COLUMN login_address_free_failures INTEGER NOT NULL DEFAULT 50;
ALTER TABLE tenants ADD COLUMN login_address_max_delay INTEGER NOT NULL DEFAULT 900;
ALTER TABLE tenants ADD COLUMN login_window INTEGER NOT NULL DEFAULT 900;

-- Counters are now kept per tenant and per account and address together, under new keys;
-- the old rows would only linger until housekeeping, and the old hard locks should not outlive the change.
DELETE FROM login_failures;
