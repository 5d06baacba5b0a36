package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.exchange.RegistrationRules;
import dev.portcullis.store.Sql;

import java.util.List;

/**
 * Upserts a tenant's identity providers inside the file's transaction. A provider without a
 * registration_id keeps the one already registered for its realm and issuer, so applying the same
 * file twice registers it once; only a new one gets a generated id, which is reported.
 */
final class IdentityProviderApplier {

    private IdentityProviderApplier() {
    }

    static int apply(Sql tx, TenantSpec tenant, long now, List<String> generated) {
        IdentityProviderRepository repository = new IdentityProviderRepository(tx);
        int changes = 0;
        for (IdentityProviderSpec spec : tenant.identityProviders()) {
            String id = spec.registrationId().orElseGet(() -> repository.list(tenant.id()).stream()
                    .filter(existing -> existing.realm() == spec.realm() && existing.issuer().equals(spec.issuer()))
                    .map(IdentityProvider::registrationId)
                    .findFirst()
                    .orElseGet(() -> {
                        String fresh = RegistrationRules.newRegistrationId();
                        generated.add(tenant.id() + " " + spec.name() + ": registration_id " + fresh);
                        return fresh;
                    }));
            IdentityProvider provider = new IdentityProvider(tenant.id(), id, spec.name(), spec.realm(), spec.issuer(),
                    spec.jwksUri(), spec.audiences(), spec.algorithms(), spec.userClaim(), spec.allowPrivateNetwork());
            if (repository.upsert(tx, provider, now)) {
                changes++;
            }
        }
        return changes;
    }
}
