-- Changes made through the admin API: who (subject and client of the token), what, when, and the changed
-- fields with their values, never a secret or password value. Ids sort in the order events happened.
CREATE TABLE audit_events (
    id             TEXT   NOT NULL PRIMARY KEY,
    tenant_id      TEXT   NOT NULL,
    occurred_at    BIGINT NOT NULL,
    actor_tenant   TEXT   NOT NULL,
    actor_subject  TEXT   NOT NULL,
    actor_client   TEXT   NOT NULL,
    actor_type     TEXT   NOT NULL,
    action         TEXT   NOT NULL,
    resource       TEXT   NOT NULL,
    changes        TEXT   NOT NULL
);
CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, id);
