package dev.portcullis.admin;

import dev.portcullis.admin.TenantApplier.SigningSettings;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.egain.AnonymousCustomerPolicies;
import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.LoginThrottlePolicy;
import dev.portcullis.tenant.RateLimitPolicy;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes stored tenants as a tenants file that applies back without a change. Secret values are
 * never stored, so never written: a client's {@code secrets:} key is left out, which makes applying
 * the file keep the stored secrets, and their names and expiry are listed in a comment. Password
 * hashes are written only when asked, as {@code password_hash}; without them the file has no
 * password key, which keeps the stored password too.
 */
final class TenantExporter {

    private final Sql sql;
    private final boolean passwordHashes;

    TenantExporter(Sql sql, boolean passwordHashes) {
        this.sql = sql;
        this.passwordHashes = passwordHashes;
    }

    String export(List<String> tenantIds) {
        YamlText yaml = new YamlText();
        yaml.comment(0, "Exported by portcullis export. Applying it changes nothing; client secrets are not exported, and")
                .comment(0, "a client without a secrets list keeps its stored ones." + (passwordHashes
                        ? " This file holds password hashes: keep it private." : " Without password keys, users keep theirs."))
                .line(0, "tenants:");
        for (String tenantId : tenantIds) {
            Tenant tenant = new TenantRepository(sql).find(tenantId)
                    .orElseThrow(() -> new IllegalArgumentException("no tenant '" + tenantId + "'"));
            tenant(yaml, tenant);
        }
        return yaml.toString();
    }

    private void tenant(YamlText yaml, Tenant tenant) {
        SigningSettings signing = SigningSettings.load(sql, tenant.id()).orElseThrow();
        yaml.line(1, "- id: " + YamlText.quote(tenant.id()))
                .field(2, "name", tenant.name())
                .field(2, "enabled", tenant.enabled())
                .field(2, "access_token_ttl", tenant.accessTokenTtl())
                .field(2, "refresh_token_idle_ttl", tenant.refreshPolicy().idleTtl())
                .field(2, "refresh_token_absolute_ttl", tenant.refreshPolicy().absoluteTtl())
                .field(2, "signing_key_rotation_days", signing.rotationDays())
                .field(2, "signing_alg", signing.signingAlgorithm().orElse(null))
                .field(2, "access_token_typ", signing.accessTokenTyp());
        LoginThrottlePolicy throttle = tenant.loginThrottle();
        yaml.line(2, "login_throttle:")
                .field(3, "account_free_failures", throttle.accountFreeFailures())
                .field(3, "account_max_delay_seconds", throttle.accountMaxDelaySeconds())
                .field(3, "address_free_failures", throttle.addressFreeFailures())
                .field(3, "address_max_delay_seconds", throttle.addressMaxDelaySeconds())
                .field(3, "window_seconds", throttle.windowSeconds());
        authorization(yaml, tenant.authorization());
        RateLimitPolicy limits = tenant.rateLimits();
        yaml.line(2, "rate_limits:")
                .field(3, "token_requests_per_minute_per_client", limits.tokenPerClient())
                .field(3, "token_requests_per_minute_per_address", limits.tokenPerAddress())
                .field(3, "authorize_requests_per_minute_per_address", limits.authorizePerAddress())
                .field(3, "login_requests_per_minute_per_address", limits.loginPerAddress());
        // built-in scopes are every tenant's without a definition, and the file may not define them
        List<ScopeDefinition> scopes = tenant.scopes().values().stream().filter(s -> !BuiltInScopes.isBuiltIn(s.name())).toList();
        yaml.line(2, "scopes:" + (scopes.isEmpty() ? " []" : ""));
        for (ScopeDefinition scope : scopes) {
            yaml.line(3, "- " + YamlText.flow(fields("name", scope.name(), "kind", scope.kind().label(),
                    "description", scope.description())));
        }
        AnonymousCustomerPolicies.load(sql, tenant.id()).ifPresent(policy -> anonymousCustomers(yaml, policy));
        subjects(yaml, tenant.id(), RealmType.USER);
        subjects(yaml, tenant.id(), RealmType.CUSTOMER);
        List<ClientApplication> all = new ClientRepository(sql).list(tenant.id());
        // a client that registered itself belongs to whoever holds its registration access token, not to the file
        List<ClientApplication> clients = all.stream().filter(client -> !client.dynamicallyRegistered()).toList();
        yaml.line(2, "clients:" + (clients.isEmpty() ? " []" : ""));
        if (clients.size() < all.size()) {
            yaml.comment(3, (all.size() - clients.size()) + " dynamically registered client(s) left out: they are managed "
                    + "through their registration (RFC 7592), and applying this file leaves them as they are");
        }
        clients.forEach(client -> client(yaml, client));
        List<IdentityProvider> providers = new IdentityProviderRepository(sql).list(tenant.id());
        yaml.line(2, "identity_providers:" + (providers.isEmpty() ? " []" : ""));
        providers.forEach(provider -> provider(yaml, provider));
    }

    /** An initial access token is stored only as a hash: the file leaves it out, which keeps the stored one. */
    private static void authorization(YamlText yaml, AuthorizationSettings settings) {
        yaml.line(2, "resources: " + YamlText.list(settings.resources()))
                .line(2, "client_id_metadata_documents:")
                .field(3, "enabled", settings.clientIdMetadataDocuments().enabled())
                .line(3, "allowed_hosts: " + YamlText.list(settings.clientIdMetadataDocuments().allowedHosts()))
                .line(2, "dynamic_registration:")
                .field(3, "enabled", settings.dynamicRegistration().enabled());
        if (settings.dynamicRegistration().initialAccessTokenHash().isPresent()) {
            yaml.comment(3, "an initial access token is set; it is stored only as a hash, so not exported, and kept on apply");
        }
        yaml.line(3, "scopes: " + YamlText.list(settings.dynamicRegistration().scopes()))
                .field(2, "require_par", settings.requirePar())
                .line(2, "dpop:")
                .field(3, "nonce", settings.dpopNonce());
    }

    private static void anonymousCustomers(YamlText yaml, AnonymousCustomerPolicy policy) {
        yaml.line(2, "anonymous_customers:")
                .field(3, "enabled", policy.enabled())
                .line(3, "scopes: " + YamlText.list(policy.scopes()))
                .field(3, "access_token_ttl", policy.accessTokenTtl())
                .field(3, "requests_per_minute_per_address", policy.requestsPerMinutePerAddress())
                .field(3, "requests_per_minute_per_tenant", policy.requestsPerMinutePerTenant());
    }

    private void subjects(YamlText yaml, String tenantId, RealmType realm) {
        List<Subject> subjects = new SubjectRepository(sql).list(tenantId, realm);
        yaml.line(2, (realm == RealmType.USER ? "users:" : "customers:") + (subjects.isEmpty() ? " []" : ""));
        for (Subject subject : subjects) {
            yaml.line(3, "- " + YamlText.flow(fields("id", subject.id(), "username", subject.username().orElse(null),
                    "email", subject.email().orElse(null),
                    "password_hash", passwordHashes ? subject.passwordHash().orElse(null) : null,
                    "enabled", subject.enabled(), "roles", roles(tenantId, realm, subject.id()))));
        }
    }

    /** A user's roles as a list, or null (no key) when it has none: applying the file back then sets none. */
    private List<String> roles(String tenantId, RealmType realm, String subjectId) {
        if (realm != RealmType.USER) {
            return null;
        }
        List<String> roles = List.copyOf(SubjectRoles.stored(sql, tenantId, subjectId));
        return roles.isEmpty() ? null : roles;
    }

    private static void client(YamlText yaml, ClientApplication client) {
        yaml.line(3, "- client_id: " + YamlText.quote(client.clientId()))
                .field(4, "name", client.name())
                .field(4, "description", client.description().orElse(null))
                .field(4, "platform", client.platform().label());
        for (StoredSecret secret : client.secrets()) {
            yaml.comment(4, "secret " + YamlText.quote(secret.name()) + ", created " + Instant.ofEpochSecond(secret.createdAt())
                    + (secret.expiresAt().isPresent() ? ", expires " + Instant.ofEpochSecond(secret.expiresAt().getAsLong()) : "")
                    + ": kept when this file is applied");
        }
        yaml.line(4, "scopes: " + YamlText.list(client.scopes().stream().sorted().toList()))
                .line(4, "redirect_uris: " + YamlText.list(client.redirectUris()))
                .line(4, "post_logout_redirect_uris: " + YamlText.list(client.postLogoutRedirectUris()))
                .field(4, "access_token_ttl", client.accessTokenTtl().isPresent() ? client.accessTokenTtl().getAsInt() : null)
                .field(4, "require_pkce", client.requirePkce())
                .field(4, "consent", client.consent().label())
                .field(4, "token_exchange", client.tokenExchange())
                .field(4, "id_token_signed_response_alg", client.idTokenSigningAlg().orElse(null))
                .field(4, "require_par", client.requirePar())
                .field(4, "enabled", client.enabled());
    }

    private static void provider(YamlText yaml, IdentityProvider provider) {
        yaml.line(3, "- registration_id: " + YamlText.quote(provider.registrationId()))
                .field(4, "name", provider.name())
                .field(4, "realm", provider.realm().suffix())
                .field(4, "issuer", provider.issuer())
                .field(4, "jwks_uri", provider.jwksUri().orElse(null))
                .line(4, "audiences: " + YamlText.list(provider.audiences()))
                .line(4, "algorithms: " + YamlText.list(provider.algorithms()))
                .field(4, "user_claim", provider.userClaim().claim())
                .field(4, "allow_private_network", provider.allowPrivateNetwork());
    }

    /** Key-value pairs in order; a null value is left out of the line. */
    private static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        return fields;
    }
}
