-- The tenants file `serve` applied last, by digest, and the configuration revision right after it, in the apply's
-- own transaction: at the next start the same file on an unchanged configuration (the revision has not moved) is
-- not parsed and compared again, which with ten thousand tenants would otherwise be most of the start.
CREATE TABLE tenants_file_state (
    id INTEGER PRIMARY KEY,
    digest VARCHAR(64) NOT NULL,
    revision BIGINT NOT NULL,
    applied_at BIGINT NOT NULL
);
