-- Administrators: a user (realm U) may hold roles, which the admin API checks on every request.
-- partition_admin manages its own tenant; system_admin (only in the reserved tenant 'system') manages all.
-- Subjects are disabled, never deleted, so a role row cannot outlive its user.
CREATE TABLE subject_roles (
    tenant_id   TEXT NOT NULL,
    realm       TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    role        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, realm, subject_id, role),
    FOREIGN KEY (tenant_id, realm, subject_id) REFERENCES subjects(tenant_id, realm, id)
);

-- The built-in scopes every tenant has (dev.portcullis.tenant.BuiltInScopes holds the same definitions, which new
-- tenants get when created). The names are reserved from now on, so a tenant that happened to define one already
-- gets the built-in kind and description: the kind decides which grant may issue it.
INSERT INTO scopes (tenant_id, name, kind, description)
SELECT id, 'portcullis.admin', 'delegated', 'Manage this tenant through the admin API, as a Partition Administrator'
FROM tenants WHERE NOT EXISTS (SELECT 1 FROM scopes s WHERE s.tenant_id = tenants.id AND s.name = 'portcullis.admin');
INSERT INTO scopes (tenant_id, name, kind, description)
SELECT id, 'portcullis.admin.api', 'application', 'Manage this tenant through the admin API, as an automation client'
FROM tenants WHERE NOT EXISTS (SELECT 1 FROM scopes s WHERE s.tenant_id = tenants.id AND s.name = 'portcullis.admin.api');
UPDATE scopes SET kind = 'delegated', description = 'Manage this tenant through the admin API, as a Partition Administrator'
WHERE name = 'portcullis.admin';
UPDATE scopes SET kind = 'application', description = 'Manage this tenant through the admin API, as an automation client'
WHERE name = 'portcullis.admin.api';
