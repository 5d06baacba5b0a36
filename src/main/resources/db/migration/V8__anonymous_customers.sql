-- A tenant's Anonymous Customer settings (the tenants file's anonymous_customers); no row = disabled.
-- Its own table rather than tenant columns: the endpoint reads it only for anonymous requests.
CREATE TABLE anonymous_customers (
    tenant_id                         TEXT    NOT NULL PRIMARY KEY REFERENCES tenants(id),
    enabled                           INTEGER NOT NULL,
    scopes                            TEXT    NOT NULL,
    access_token_ttl                  INTEGER NOT NULL,
    requests_per_minute_per_address   INTEGER NOT NULL,
    requests_per_minute_per_tenant    INTEGER NOT NULL
);
