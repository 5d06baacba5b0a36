package dev.portcullis.client;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A registered client application of one tenant, as cached for the token hot path.
 *
 * @param postLogoutRedirectUris where RP-Initiated Logout may return the browser; when none are
 *                               registered, the redirect URIs serve, as they did before OpenID Connect
 * @param idTokenSigningAlg      the JWS algorithm the client registered for its ID tokens
 *                               ({@code id_token_signed_response_alg}); empty: the tenant's signing algorithm
 * @param requirePar             whether its authorization requests must be pushed first (RFC 9126 section 5)
 * @param registeredGrantTypes   the grant types it registered (RFC 7591 section 2), which are all it may use; empty for
 *                               a client an administrator registered, whose grants its scopes' kinds decide
 */
public record ClientApplication(
        String tenantId,
        String clientId,
        String name,
        Optional<String> description,
        Platform platform,
        Set<String> scopes,
        List<String> redirectUris,
        List<StoredSecret> secrets,
        OptionalInt accessTokenTtl,
        boolean requirePkce,
        ConsentMode consent,
        boolean enabled,
        boolean tokenExchange,
        List<String> postLogoutRedirectUris,
        Optional<String> idTokenSigningAlg,
        boolean requirePar,
        Set<String> registeredGrantTypes) {

    public ClientApplication {
        registeredGrantTypes = Set.copyOf(registeredGrantTypes);
    }

    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    /**
     * Whether it registered itself (RFC 7591) rather than being registered by an administrator: a registration always
     * holds authorization_code, so only such a client has grant types of its own.
     */
    public boolean dynamicallyRegistered() {
        return !registeredGrantTypes.isEmpty();
    }

    /** Whether it may use {@code grantType}: a self-registered client only the grant types it registered. */
    public boolean mayUseGrantType(String grantType) {
        return registeredGrantTypes.isEmpty() || registeredGrantTypes.contains(grantType);
    }

    /** PKCE is required of every public client, and of web clients registered with require_pkce. */
    public boolean mustUsePkce() {
        return !platform.isConfidential() || requirePkce;
    }

    /** Whether a request may use {@code redirectUri}: exactly a registered one, or a native app's loopback one on any port. */
    public boolean acceptsRedirectUri(String redirectUri) {
        return RedirectUris.matches(redirectUris, redirectUri, platform);
    }

    /** Whether a logout may return to {@code uri}: exactly a registered post-logout URI (or redirect URI, when none is registered). */
    public boolean acceptsPostLogoutRedirectUri(String uri) {
        return RedirectUris.matches(postLogoutRedirectUris.isEmpty() ? redirectUris : postLogoutRedirectUris, uri, platform);
    }

    /**
     * Whether an earlier consent may be reused for a redirect to {@code redirectUri}. A native app's
     * loopback or private-use redirect can be claimed by any app on the device, so its identity is
     * not assured and the user is asked each time (RFC 8252 section 8.6).
     */
    public boolean mayReuseConsent(String redirectUri) {
        return platform != Platform.NATIVE || RedirectUris.provesClientIdentity(redirectUri);
    }

    /**
     * The host of a client whose id is the https URL of its metadata document, which sign-in pages show beside the
     * name the document gives itself; empty for a registered client (whose id never holds ':').
     */
    public Optional<String> metadataDocumentHost() {
        if (!clientId.startsWith("https://")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(java.net.URI.create(clientId).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The name pages show: a metadata document client's own name is followed by its host, unless it is the host. */
    public String displayName() {
        return metadataDocumentHost().filter(host -> !host.equals(name)).map(host -> name + " (" + host + ")").orElse(name);
    }

    /** Whether every redirect URI is on the user's own machine, where any program could be listening. */
    public boolean redirectsOnlyToLoopback() {
        return !redirectUris.isEmpty() && redirectUris.stream().allMatch(RedirectUris::isLoopback);
    }
}
