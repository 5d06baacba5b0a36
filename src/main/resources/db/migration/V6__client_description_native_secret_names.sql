-- eGain's client model: a free-text description, and secrets with names (its console's Secrets
-- form asks for Name and Expiry Date). Platform 'native' needs no schema change: platform is text.
ALTER TABLE clients ADD COLUMN description TEXT;

ALTER TABLE client_secrets ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- Existing secrets are named by age, as unnamed ones in a tenants file are: the oldest 'primary',
-- the next 'secondary'. A client never held more than two, but a third would get a unique name too.
UPDATE client_secrets SET name = CASE (
        SELECT COUNT(*) FROM client_secrets older
        WHERE older.tenant_id = client_secrets.tenant_id AND older.client_id = client_secrets.client_id
          AND (older.created_at < client_secrets.created_at
               OR (older.created_at = client_secrets.created_at AND older.id < client_secrets.id)))
    WHEN 0 THEN 'primary'
    WHEN 1 THEN 'secondary'
    ELSE 'secret-' || id
END;

CREATE UNIQUE INDEX client_secrets_by_name ON client_secrets (tenant_id, client_id, name);
