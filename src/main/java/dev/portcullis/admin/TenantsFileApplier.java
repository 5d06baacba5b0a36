package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SecretSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.egain.AnonymousCustomerPolicies;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a validated tenants file in one transaction, upserting by id: applying the same file
 * twice changes nothing, and a failure leaves the database as it was. Secrets and passwords are
 * stored only as hashes; a password already matching its stored hash is not re-hashed.
 */
public final class TenantsFileApplier {

    /** {@code generatedRegistrations}: "TENANT name: id" for each identity provider that was given a new registration_id. */
    public record Result(int tenants, int changes, List<String> generatedRegistrations) {
    }

    private final Sql sql;
    private final ClientSecretHasher secretHasher;
    private final Clock clock;

    public TenantsFileApplier(Sql sql, ClientSecretHasher secretHasher, Clock clock) {
        this.sql = sql;
        this.secretHasher = secretHasher;
        this.clock = clock;
    }

    public Result apply(TenantsFile file) {
        long now = clock.instant().getEpochSecond();
        return sql.inTransaction(tx -> {
            int changes = 0;
            List<String> generated = new ArrayList<>();
            for (TenantSpec tenant : file.tenants()) {
                changes += applyTenant(tx, tenant, now);
                changes += IdentityProviderApplier.apply(tx, tenant, now, generated);
            }
            if (changes > 0) {
                ConfigRevision.bump(tx);
            }
            return new Result(file.tenants().size(), changes, List.copyOf(generated));
        });
    }

    private int applyTenant(Sql tx, TenantSpec spec, long now) {
        TenantRepository tenants = new TenantRepository(tx);
        int changes = count(tenants.upsert(tx, spec.id(), spec.name(), spec.accessTokenTtl(),
                new Tenant.RefreshPolicy(spec.refreshTokenIdleTtl(), spec.refreshTokenAbsoluteTtl()), spec.loginThrottle(),
                spec.enabled(), now));
        changes += count(tenants.setSigningKeyRotationDays(tx, spec.id(), spec.signingKeyRotationDays()));
        changes += count(tenants.setTokenSigning(tx, spec.id(), spec.tokenSigning().signingAlgorithm().orElse(null),
                spec.tokenSigning().accessTokenTyp()));
        for (ScopeSpec scope : spec.scopes()) {
            changes += count(tenants.upsertScope(tx, spec.id(),
                    new ScopeDefinition(scope.name(), ScopeKind.fromLabel(scope.kind()).orElseThrow(), scope.description())));
        }
        for (SubjectSpec user : spec.users()) {
            changes += applySubject(tx, spec.id(), RealmType.USER, user, now);
        }
        for (SubjectSpec customer : spec.customers()) {
            changes += applySubject(tx, spec.id(), RealmType.CUSTOMER, customer, now);
        }
        for (ClientSpec client : spec.clients()) {
            changes += applyClient(tx, spec.id(), client, now);
        }
        changes += count(AnonymousCustomerPolicies.save(tx, spec.id(), spec.anonymousCustomers()));
        return changes;
    }

    private int applySubject(Sql tx, String tenantId, RealmType realm, SubjectSpec spec, long now) {
        SubjectRepository subjects = new SubjectRepository(tx);
        Optional<Subject> existing = subjects.find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, spec.id()));
        Optional<String> newHash = spec.password().filter(password -> existing
                .flatMap(Subject::passwordHash)
                .map(hash -> !PasswordHasher.verify(password, hash))
                .orElse(true))
                .map(PasswordHasher::hash);
        return count(subjects.upsert(tx, tenantId, realm, spec.id(), spec.username(), spec.email(), newHash, spec.enabled(), now));
    }

    private int applyClient(Sql tx, String tenantId, ClientSpec spec, long now) {
        ClientRepository clients = new ClientRepository(tx);
        int changes = count(clients.upsert(tx, tenantId, spec.clientId(), new ClientRepository.Settings(spec.name(),
                spec.description(), Platform.fromLabel(spec.platform()).orElseThrow(), new LinkedHashSet<>(spec.scopes()),
                spec.redirectUris(), spec.accessTokenTtl(), spec.requirePkce(), ConsentMode.fromLabel(spec.consent()).orElseThrow(),
                spec.enabled(), spec.postLogoutRedirectUris()), now));
        changes += count(clients.setTokenExchange(tx, tenantId, spec.clientId(), spec.tokenExchange(), now));
        if (spec.secrets().isEmpty()) {
            return changes;
        }
        return changes + applySecrets(tx, clients, tenantId, spec.clientId(), spec.secrets().get(), now);
    }

    /**
     * Makes a client's secrets those of the file. A stored secret with the same value keeps its id
     * and creation time, taking the file's expiry and name (an unnamed one keeps its stored name,
     * so dropping the older of two unnamed secrets does not rename the other); new unnamed ones
     * take the first free of primary and secondary. Old secrets go before new ones arrive, and
     * renames pass through the row's unique id, so no step holds two secrets of one client under
     * one name, which the database refuses.
     */
    private int applySecrets(Sql tx, ClientRepository clients, String tenantId, String clientId, List<SecretSpec> wanted, long now) {
        ClientApplication stored = clients.find(tenantId, clientId).orElseThrow();
        Map<StoredSecret, SecretSpec> kept = new LinkedHashMap<>();
        List<SecretSpec> added = new ArrayList<>();
        for (SecretSpec secret : wanted) {
            byte[] hash = secretHasher.hash(secret.value());
            stored.secrets().stream().filter(s -> MessageDigest.isEqual(s.hash(), hash)).findFirst()
                    .ifPresentOrElse(same -> kept.put(same, secret), () -> added.add(secret));
        }
        int changes = 0;
        for (StoredSecret old : stored.secrets()) {
            if (!kept.containsKey(old)) {
                clients.removeSecret(tx, old.id());
                changes++;
            }
        }
        Map<StoredSecret, String> renamed = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        kept.forEach((old, secret) -> taken.add(secret.name().orElse(old.name())));
        added.forEach(secret -> secret.name().ifPresent(taken::add));
        kept.forEach((old, secret) -> {
            String name = secret.name().orElse(old.name());
            if (!name.equals(old.name()) || !secret.expiresAt().equals(old.expiresAt())) {
                renamed.put(old, name);
            }
        });
        renamed.keySet().forEach(old -> clients.updateSecret(tx, old.id(), old.id(), old.expiresAt()));
        for (Map.Entry<StoredSecret, String> entry : renamed.entrySet()) {
            clients.updateSecret(tx, entry.getKey().id(), entry.getValue(), kept.get(entry.getKey()).expiresAt());
            changes++;
        }
        for (SecretSpec secret : added) {
            String name = secret.name().orElseGet(() -> StoredSecret.DEFAULT_NAMES.stream().filter(n -> !taken.contains(n))
                    .findFirst().orElseThrow());
            taken.add(name);
            clients.addSecret(tx, tenantId, clientId, name, secretHasher.hash(secret.value()), now, secret.expiresAt());
            changes++;
        }
        return changes;
    }

    private static int count(boolean changed) {
        return changed ? 1 : 0;
    }
}
