package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one validated object inside the caller's transaction with the tenants file's own appliers, and
 * returns what changed as the file's dry run would print it; the admin API writes through here so a
 * request and a file that say the same thing store the same thing.
 */
public final class SpecWriter {

    private final Sql tx;
    private final long now;

    public SpecWriter(Sql tx, long now) {
        this.tx = tx;
        this.now = now;
    }

    /** Upserts a client; its secrets are left alone when {@code spec.secrets()} is empty. */
    public List<ApplyChange> client(ClientSecretHasher secretHasher, String tenantId, ClientSpec spec) {
        ApplyReport report = new ApplyReport();
        new ClientApplier(tx, secretHasher, report, now).apply(tenantId, spec);
        return changesOnly(report);
    }

    /**
     * Upserts a user or customer; a {@code password} is hashed here (unless it already matches), a
     * {@code password_hash} stored as it is, and with neither the stored password is kept.
     */
    public List<ApplyChange> subject(String tenantId, RealmType realm, SubjectSpec spec) {
        ApplyReport report = new ApplyReport();
        new TenantApplier(tx, report, now).subject(tenantId, realm, spec);
        return changesOnly(report);
    }

    /** Creates a tenant, or updates its own settings; its scopes, subjects and clients are left alone. */
    public List<ApplyChange> tenantSettings(TenantSettings settings) {
        ApplyReport report = new ApplyReport();
        new TenantApplier(tx, report, now).settings(settings);
        return changesOnly(report);
    }

    /** Upserts one scope of the tenant. */
    public List<ApplyChange> scope(String tenantId, ScopeSpec spec) {
        ApplyReport report = new ApplyReport();
        new TenantApplier(tx, report, now).scope(tenantId, spec);
        return changesOnly(report);
    }

    /** Upserts one identity provider, which must carry its registration id (the caller generates one for a new provider). */
    public List<ApplyChange> identityProvider(String tenantId, IdentityProviderSpec spec) {
        if (spec.registrationId().isEmpty()) {
            throw new IllegalArgumentException("an identity provider written alone needs its registration_id");
        }
        ApplyReport report = new ApplyReport();
        IdentityProviderApplier.apply(tx, tenantId, spec, now, report, new ArrayList<>());
        return changesOnly(report);
    }

    private static List<ApplyChange> changesOnly(ApplyReport report) {
        return report.entries().stream().filter(ApplyChange::isChange).toList();
    }
}
