package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.exchange.RegistrationRules;
import dev.portcullis.store.Sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.portcullis.admin.ApplyReport.compare;

/**
 * Upserts a tenant's identity providers inside the file's transaction. A provider without a
 * registration_id keeps the one already registered for its realm and issuer, so applying the same
 * file twice registers it once; only a new one gets a generated id, which is reported.
 */
final class IdentityProviderApplier {

    private IdentityProviderApplier() {
    }

    /** Returns the registration ids the file's providers now hold, which {@code --prune} keeps. */
    static Set<String> apply(Sql tx, TenantSpec tenant, long now, ApplyReport report, List<String> generated) {
        Set<String> ids = new LinkedHashSet<>();
        for (IdentityProviderSpec spec : tenant.identityProviders()) {
            ids.add(apply(tx, tenant.id(), spec, now, report, generated));
        }
        return ids;
    }

    /** Upserts one provider of the tenant (the admin API writes them one at a time); returns its registration id. */
    static String apply(Sql tx, String tenantId, IdentityProviderSpec spec, long now, ApplyReport report, List<String> generated) {
        IdentityProviderRepository repository = new IdentityProviderRepository(tx);
        Optional<String> known = spec.registrationId().or(() -> repository.list(tenantId).stream()
                .filter(existing -> existing.realm() == spec.realm() && existing.issuer().equals(spec.issuer()))
                .map(IdentityProvider::registrationId)
                .findFirst());
        String id = known.orElseGet(RegistrationRules::newRegistrationId);
        Optional<IdentityProvider> stored = repository.find(tenantId, id);
        IdentityProvider provider = new IdentityProvider(tenantId, id, spec.name(), spec.realm(), spec.issuer(),
                spec.jwksUri(), spec.audiences(), spec.algorithms(), spec.userClaim(), spec.allowPrivateNetwork());
        List<String> fields = new ArrayList<>();
        stored.ifPresent(s -> {
            compare(fields, "name", s.name(), provider.name());
            compare(fields, "realm", s.realm(), provider.realm());
            compare(fields, "issuer", s.issuer(), provider.issuer());
            compare(fields, "jwks_uri", s.jwksUri(), provider.jwksUri());
            compare(fields, "audiences", s.audiences(), provider.audiences());
            compare(fields, "algorithms", s.algorithms(), provider.algorithms());
            compare(fields, "user_claim", s.userClaim(), provider.userClaim());
            compare(fields, "allow_private_network", s.allowPrivateNetwork(), provider.allowPrivateNetwork());
        });
        boolean written = repository.upsert(tx, provider, now);
        if (known.isEmpty()) {
            // a generated id means nothing until it is committed, so the report names the provider, not the id
            generated.add(tenantId + " " + spec.name() + ": registration_id " + id);
            report.add(tenantId, "identity provider \"" + spec.name() + "\"", ApplyChange.Action.CREATED, List.of(),
                    "registration_id generated when applied");
        } else {
            report.record(tenantId, "identity provider " + id, stored.isPresent(), fields, written);
        }
        return id;
    }
}
