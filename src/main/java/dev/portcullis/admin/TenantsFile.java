package dev.portcullis.admin;

import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.exchange.UserClaim;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.LoginThrottlePolicy;
import dev.portcullis.tenant.RateLimitPolicy;
import dev.portcullis.tenant.RealmType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** A validated tenants file: the desired state of some tenants, applied by upsert. */
public record TenantsFile(List<TenantSpec> tenants) {

    public record TenantSpec(String id, String name, int accessTokenTtl, int refreshTokenIdleTtl, int refreshTokenAbsoluteTtl,
                             boolean enabled, LoginThrottlePolicy loginThrottle, List<ScopeSpec> scopes,
                             List<SubjectSpec> users, List<SubjectSpec> customers, List<ClientSpec> clients,
                             Optional<AnonymousCustomerPolicy> anonymousCustomers,
                             int signingKeyRotationDays,
                             List<IdentityProviderSpec> identityProviders,
                             TokenSigning tokenSigning, AuthorizationSpec authorization, RateLimitPolicy rateLimits) {

        /** The tenant's own settings, without the objects it holds. */
        public TenantSettings settings() {
            return new TenantSettings(id, name, accessTokenTtl, refreshTokenIdleTtl, refreshTokenAbsoluteTtl, enabled, loginThrottle,
                    signingKeyRotationDays, tokenSigning, authorization, rateLimits);
        }
    }

    /**
     * A tenant's {@link AuthorizationSettings}. An initial access token is never stored or exported in clear, so a file
     * without {@code initial_access_token} keeps the stored one ({@code keepsInitialAccessToken}); {@code null} removes it.
     */
    public record AuthorizationSpec(AuthorizationSettings settings, boolean keepsInitialAccessToken) {

        /** The settings to store, given the stored initial access token's hash. */
        public AuthorizationSettings resolve(Optional<String> storedTokenHash) {
            if (!keepsInitialAccessToken) {
                return settings;
            }
            AuthorizationSettings.DynamicRegistration r = settings.dynamicRegistration();
            return new AuthorizationSettings(settings.resources(), settings.clientIdMetadataDocuments(),
                    new AuthorizationSettings.DynamicRegistration(r.enabled(), storedTokenHash, r.scopes()),
                    settings.requirePar(), settings.dpopNonce());
        }
    }

    /** {@code signingAlgorithm} empty: the server's {@code signing_alg}. {@code accessTokenTyp}: at+jwt or JWT. */
    public record TokenSigning(Optional<String> signingAlgorithm, String accessTokenTyp) {
    }

    public record ScopeSpec(String name, String kind, String description) {
    }

    /**
     * {@code passwordHash}: an Argon2id hash as {@code export --include-password-hashes} writes it, stored
     * as it is; a subject has at most one of {@code password} and {@code passwordHash}, and with neither
     * keeps the password it has. {@code roles}: the admin roles of a user (labels of
     * {@link dev.portcullis.identity.AdminRole}, sorted); the file is the truth for them, so a user
     * listed without {@code roles} holds none. Customers have none.
     */
    public record SubjectSpec(String id, Optional<String> username, Optional<String> email, Optional<String> password,
                              Optional<String> passwordHash, boolean enabled, Set<String> roles) {
        public SubjectSpec {
            roles = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(roles));
        }
    }

    /**
     * {@code name} is empty for an unnamed secret: it keeps the name it is stored under, or when new
     * takes the first of primary and secondary that the client's other secrets leave free.
     */
    public record SecretSpec(Optional<String> name, String value, OptionalLong expiresAt) {
    }

    /**
     * {@code secrets} is empty when the file does not mention secrets, so stored ones are left alone.
     * {@code idTokenSigningAlg} empty: the tenant's signing algorithm.
     */
    public record ClientSpec(String clientId, String name, Optional<String> description, String platform,
                             Optional<List<SecretSpec>> secrets,
                             List<String> scopes, List<String> redirectUris, OptionalInt accessTokenTtl, boolean requirePkce,
                             String consent, boolean enabled, boolean tokenExchange, List<String> postLogoutRedirectUris,
                             Optional<String> idTokenSigningAlg, boolean requirePar) {
    }

    /**
     * An identity provider for Token Exchange; without {@code registrationId} the applier reuses the
     * registration of the same realm and issuer, or generates an id (and reports it).
     */
    public record IdentityProviderSpec(Optional<String> registrationId, String name, RealmType realm, String issuer,
                                       Optional<String> jwksUri, List<String> audiences, List<String> algorithms,
                                       UserClaim userClaim, boolean allowPrivateNetwork) {
    }

    /**
     * A tenant's own settings, as {@link TenantSettingsSection} reads them from a tenant of the file or from an
     * admin API request: everything but its scopes, subjects, clients, identity providers and anonymous customers.
     */
    public record TenantSettings(String id, String name, int accessTokenTtl, int refreshTokenIdleTtl, int refreshTokenAbsoluteTtl,
                                 boolean enabled, LoginThrottlePolicy loginThrottle, int signingKeyRotationDays,
                                 TokenSigning tokenSigning, AuthorizationSpec authorization, RateLimitPolicy rateLimits) {
    }
}
