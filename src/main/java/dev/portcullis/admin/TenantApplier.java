package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.egain.AnonymousCustomerPolicies;
import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.LoginThrottlePolicy;
import dev.portcullis.tenant.RateLimitPolicy;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.portcullis.admin.ApplyReport.compare;

/**
 * Writes a tenant's own settings, scopes, users, customers and anonymous-customer policy inside the
 * file's transaction, describing each object to the report before the repository writes it.
 */
final class TenantApplier {

    /** The columns of a tenant the tenants file sets that {@link Tenant} does not carry. */
    record SigningSettings(Optional<String> signingAlgorithm, String accessTokenTyp, int rotationDays) {

        static Optional<SigningSettings> load(Sql sql, String tenantId) {
            return sql.queryOne("SELECT signing_alg, access_token_typ, signing_key_rotation_days FROM tenants WHERE id = ?",
                    row -> new SigningSettings(Optional.ofNullable(row.getString(1)), row.getString(2), row.getInt(3)), tenantId);
        }
    }

    private final Sql tx;
    private final ApplyReport report;
    private final long now;

    TenantApplier(Sql tx, ApplyReport report, long now) {
        this.tx = tx;
        this.report = report;
        this.now = now;
    }

    void apply(TenantSpec spec) {
        settings(spec.settings());
        for (ScopeSpec scope : spec.scopes()) {
            scope(spec.id(), scope);
        }
        spec.users().forEach(user -> subject(spec.id(), RealmType.USER, user));
        spec.customers().forEach(customer -> subject(spec.id(), RealmType.CUSTOMER, customer));
    }

    /** A tenant's own settings, which the admin API writes alone too. */
    void settings(TenantSettings spec) {
        TenantRepository tenants = new TenantRepository(tx);
        Optional<Tenant> stored = tenants.find(spec.id());
        Optional<SigningSettings> storedSigning = SigningSettings.load(tx, spec.id());
        Tenant.RefreshPolicy refresh = new Tenant.RefreshPolicy(spec.refreshTokenIdleTtl(), spec.refreshTokenAbsoluteTtl());
        boolean written = tenants.upsert(tx, spec.id(), spec.name(), spec.accessTokenTtl(), refresh, spec.loginThrottle(),
                spec.enabled(), now);
        boolean signingWritten = tenants.setSigningKeyRotationDays(tx, spec.id(), spec.signingKeyRotationDays());
        signingWritten |= tenants.setTokenSigning(tx, spec.id(), spec.tokenSigning().signingAlgorithm().orElse(null),
                spec.tokenSigning().accessTokenTyp());
        AuthorizationSettings storedAuthorization = stored.map(Tenant::authorization).orElse(AuthorizationSettings.DEFAULT);
        AuthorizationSettings authorization = spec.authorization().resolve(
                storedAuthorization.dynamicRegistration().initialAccessTokenHash());
        boolean authorizationWritten = tenants.setAuthorization(tx, spec.id(), authorization);
        boolean rateLimitsWritten = tenants.setRateLimits(tx, spec.id(), spec.rateLimits());
        if (stored.isEmpty()) {
            // its throttle and signing settings are part of the new tenant, not objects of their own
            report.record(spec.id(), "tenant settings", false, List.of(), written);
            return;
        }
        Tenant t = stored.get();
        List<String> fields = new ArrayList<>();
        compare(fields, "name", t.name(), spec.name());
        compare(fields, "access_token_ttl", t.accessTokenTtl(), spec.accessTokenTtl());
        compare(fields, "refresh_token_idle_ttl", t.refreshPolicy().idleTtl(), refresh.idleTtl());
        compare(fields, "refresh_token_absolute_ttl", t.refreshPolicy().absoluteTtl(), refresh.absoluteTtl());
        compare(fields, "enabled", t.enabled(), spec.enabled());
        List<String> throttle = throttleFields(t.loginThrottle(), spec.loginThrottle());
        boolean settingsDiffer = !fields.isEmpty() || !throttle.isEmpty();
        report.record(spec.id(), "tenant settings", true, fields, written && !fields.isEmpty());
        report.record(spec.id(), "login_throttle", true, throttle, written && !throttle.isEmpty());
        if (written != settingsDiffer) {
            throw new IllegalStateException("tenant " + spec.id() + ": the repository and the comparison disagree");
        }
        SigningSettings s = storedSigning.orElseThrow();
        List<String> signing = new ArrayList<>();
        compare(signing, "signing_alg", s.signingAlgorithm(), spec.tokenSigning().signingAlgorithm());
        compare(signing, "access_token_typ", s.accessTokenTyp(), spec.tokenSigning().accessTokenTyp());
        compare(signing, "signing_key_rotation_days", s.rotationDays(), spec.signingKeyRotationDays());
        report.record(spec.id(), "token signing", true, signing, signingWritten);
        report.record(spec.id(), "authorization settings", true, authorizationFields(storedAuthorization, authorization),
                authorizationWritten);
        report.record(spec.id(), "rate_limits", true, rateLimitFields(t.rateLimits(), spec.rateLimits()), rateLimitsWritten);
    }

    private static List<String> rateLimitFields(RateLimitPolicy stored, RateLimitPolicy wanted) {
        List<String> fields = new ArrayList<>();
        compare(fields, "token_requests_per_minute_per_client", stored.tokenPerClient(), wanted.tokenPerClient());
        compare(fields, "token_requests_per_minute_per_address", stored.tokenPerAddress(), wanted.tokenPerAddress());
        compare(fields, "authorize_requests_per_minute_per_address", stored.authorizePerAddress(), wanted.authorizePerAddress());
        compare(fields, "login_requests_per_minute_per_address", stored.loginPerAddress(), wanted.loginPerAddress());
        return fields;
    }

    private static List<String> authorizationFields(AuthorizationSettings stored, AuthorizationSettings wanted) {
        List<String> fields = new ArrayList<>();
        compare(fields, "resources", stored.resources(), wanted.resources());
        compare(fields, "client_id_metadata_documents.enabled", stored.clientIdMetadataDocuments().enabled(),
                wanted.clientIdMetadataDocuments().enabled());
        compare(fields, "client_id_metadata_documents.allowed_hosts", stored.clientIdMetadataDocuments().allowedHosts(),
                wanted.clientIdMetadataDocuments().allowedHosts());
        compare(fields, "dynamic_registration.enabled", stored.dynamicRegistration().enabled(), wanted.dynamicRegistration().enabled());
        if (!stored.dynamicRegistration().initialAccessTokenHash().equals(wanted.dynamicRegistration().initialAccessTokenHash())) {
            fields.add("dynamic_registration.initial_access_token");   // never its value, not even hashed
        }
        compare(fields, "dynamic_registration.scopes", stored.dynamicRegistration().scopes(), wanted.dynamicRegistration().scopes());
        compare(fields, "require_par", stored.requirePar(), wanted.requirePar());
        compare(fields, "dpop.nonce", stored.dpopNonce(), wanted.dpopNonce());
        return fields;
    }

    private static List<String> throttleFields(LoginThrottlePolicy stored, LoginThrottlePolicy wanted) {
        List<String> fields = new ArrayList<>();
        compare(fields, "account_free_failures", stored.accountFreeFailures(), wanted.accountFreeFailures());
        compare(fields, "account_max_delay_seconds", stored.accountMaxDelaySeconds(), wanted.accountMaxDelaySeconds());
        compare(fields, "address_free_failures", stored.addressFreeFailures(), wanted.addressFreeFailures());
        compare(fields, "address_max_delay_seconds", stored.addressMaxDelaySeconds(), wanted.addressMaxDelaySeconds());
        compare(fields, "window_seconds", stored.windowSeconds(), wanted.windowSeconds());
        return fields;
    }

    void scope(String tenantId, ScopeSpec spec) {
        ScopeDefinition wanted = new ScopeDefinition(spec.name(), ScopeKind.fromLabel(spec.kind()).orElseThrow(), spec.description());
        Optional<ScopeDefinition> stored = tx.queryOne("SELECT kind, description FROM scopes WHERE tenant_id = ? AND name = ?",
                row -> new ScopeDefinition(spec.name(), ScopeKind.fromLabel(row.getString(1)).orElseThrow(), row.getString(2)),
                tenantId, spec.name());
        List<String> fields = new ArrayList<>();
        stored.ifPresent(s -> {
            compare(fields, "kind", s.kind(), wanted.kind());
            compare(fields, "description", s.description(), wanted.description());
        });
        boolean written = new TenantRepository(tx).upsertScope(tx, tenantId, wanted);
        report.record(tenantId, "scope " + spec.name(), stored.isPresent(), fields, written);
    }

    /**
     * A password already matching its stored hash is not re-hashed (Argon2 verify), so an unchanged
     * file stays unchanged; a {@code password_hash} (from an export) is stored as it is. A user's roles
     * are written after the user, whose row they refer to.
     */
    void subject(String tenantId, RealmType realm, SubjectSpec spec) {
        SubjectRepository subjects = new SubjectRepository(tx);
        Optional<Subject> stored = subjects.find(new SubjectLookup(tenantId, realm, SubjectLookup.By.USER_ID, spec.id()));
        Optional<String> storedHash = stored.flatMap(Subject::passwordHash);
        Optional<String> newHash = spec.password()
                .filter(password -> storedHash.map(hash -> !PasswordHasher.verify(password, hash)).orElse(true))
                .map(PasswordHasher::hash)
                .or(() -> spec.passwordHash().filter(hash -> !storedHash.equals(Optional.of(hash))));
        boolean user = realm == RealmType.USER;
        Set<String> storedRoles = user && stored.isPresent() ? SubjectRoles.stored(tx, tenantId, spec.id()) : Set.of();
        List<String> fields = new ArrayList<>();
        stored.ifPresent(s -> {
            compare(fields, "username", s.username(), spec.username());
            compare(fields, "email", s.email(), spec.email());
            if (newHash.isPresent()) {
                fields.add("password");
            }
            compare(fields, "enabled", s.enabled(), spec.enabled());
            compare(fields, "roles", storedRoles, spec.roles());
        });
        boolean written = subjects.upsert(tx, tenantId, realm, spec.id(), spec.username(), spec.email(), newHash, spec.enabled(), now);
        if (user) {
            Set<AdminRole> roles = spec.roles().stream().map(label -> AdminRole.fromLabel(label).orElseThrow())
                    .collect(Collectors.toSet());
            written |= SubjectRoles.set(tx, tenantId, spec.id(), roles);
        }
        report.record(tenantId, (realm == RealmType.USER ? "user " : "customer ") + spec.id(), stored.isPresent(), fields, written);
    }

    /** The tenants file is the truth for this section: absent there means absent here, so no prune is needed. */
    void anonymousCustomers(TenantSpec spec) {
        Optional<AnonymousCustomerPolicy> stored = AnonymousCustomerPolicies.load(tx, spec.id());
        Optional<AnonymousCustomerPolicy> wanted = spec.anonymousCustomers();
        boolean written = AnonymousCustomerPolicies.save(tx, spec.id(), wanted);
        if (stored.isEmpty() && wanted.isEmpty()) {
            return;
        }
        if (wanted.isEmpty()) {
            report.add(spec.id(), "anonymous_customers", ApplyChange.Action.REMOVED, List.of(), "the file has no anonymous_customers");
            return;
        }
        List<String> fields = new ArrayList<>();
        stored.ifPresent(s -> {
            AnonymousCustomerPolicy w = wanted.get();
            compare(fields, "enabled", s.enabled(), w.enabled());
            compare(fields, "scopes", s.scopes(), w.scopes());
            compare(fields, "access_token_ttl", s.accessTokenTtl(), w.accessTokenTtl());
            compare(fields, "requests_per_minute_per_address", s.requestsPerMinutePerAddress(), w.requestsPerMinutePerAddress());
            compare(fields, "requests_per_minute_per_tenant", s.requestsPerMinutePerTenant(), w.requestsPerMinutePerTenant());
        });
        report.record(spec.id(), "anonymous_customers", stored.isPresent(), fields, written);
    }
}
