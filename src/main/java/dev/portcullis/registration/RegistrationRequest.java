package dev.portcullis.registration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.portcullis.client.Platform;
import dev.portcullis.client.RedirectUris;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.token.SigningAlgorithms;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks the client metadata of a registration (RFC 7591 section 2) or of an update (RFC 7592 section
 * 2.2): parsed by Nimbus' {@link OIDCClientMetadata}, then held to what this server supports and to the tenant's
 * rules. Redirect URIs follow {@link RedirectUris}, as for clients an administrator registers. Metadata the server
 * does not use (logo_uri, client_uri, policy_uri, tos_uri, contacts, jwks, software_statement...) is ignored, as
 * section 2 allows, and not returned: the server neither shows nor vouches for it.
 */
final class RegistrationRequest {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_SOFTWARE_LENGTH = 255;
    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_SCOPE_LENGTH = 2048;
    static final Set<String> AUTH_METHODS = Set.of(ClientRegistration.NONE, "client_secret_basic", "client_secret_post");
    static final Set<String> GRANT_TYPES = Set.of(GrantType.AUTHORIZATION_CODE.getValue(), GrantType.REFRESH_TOKEN.getValue());

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RegistrationRequest() {
    }

    /** The JSON object of a request body; anything else is an invalid_request. */
    static ObjectNode object(byte[] body) {
        JsonNode json;
        try {
            json = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw OAuthException.invalidRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw OAuthException.invalidRequest("the body could not be read");
        }
        if (json == null || !json.isObject()) {
            throw OAuthException.invalidRequest("the body must be a JSON object of client metadata (RFC 7591 section 2)");
        }
        return (ObjectNode) json;
    }

    /** The metadata of {@code json}, checked for {@code tenant}. */
    static ClientRegistration read(ObjectNode json, Tenant tenant) {
        OIDCClientMetadata metadata;
        try {
            metadata = OIDCClientMetadata.parse(JSONObjectUtils.parse(json.toString()));
        } catch (ParseException e) {
            boolean redirect = e.getErrorObject() != null
                    && RegistrationError.INVALID_REDIRECT_URI.getCode().equals(e.getErrorObject().getCode());
            throw new OAuthException(redirect ? OAuthError.INVALID_REDIRECT_URI : OAuthError.INVALID_CLIENT_METADATA,
                    clean(e.getMessage()));
        } catch (RuntimeException e) {
            // a member of a type Nimbus did not expect may surface unchecked: still the client's mistake, not a server error
            throw new OAuthException(OAuthError.INVALID_CLIENT_METADATA, "the client metadata could not be read: "
                    + clean(e.getMessage()));
        }
        String authMethod = metadata.getTokenEndpointAuthMethod() == null ? "client_secret_basic"
                : metadata.getTokenEndpointAuthMethod().getValue();
        if (!AUTH_METHODS.contains(authMethod)) {
            throw metadataError("token_endpoint_auth_method '" + clean(authMethod) + "' is not supported; use none (a public "
                    + "client, with PKCE), client_secret_basic or client_secret_post");
        }
        boolean nativeApp = metadata.getApplicationType() == ApplicationType.NATIVE;
        boolean confidential = !authMethod.equals(ClientRegistration.NONE);
        if (nativeApp && confidential) {
            throw metadataError("a native application cannot keep a secret: register it with token_endpoint_auth_method none");
        }
        Platform platform = confidential ? Platform.WEB : nativeApp ? Platform.NATIVE : Platform.SPA;
        List<String> grantTypes = grantTypes(metadata);
        List<String> responseTypes = responseTypes(metadata);
        List<String> redirectUris = uris(metadata.getRedirectionURIs(), "redirect_uris", platform);
        if (redirectUris.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_REDIRECT_URI, "redirect_uris is required: the authorization_code "
                    + "grant returns to a registered redirect URI");
        }
        List<String> postLogout = uris(metadata.getPostLogoutRedirectionURIs(), "post_logout_redirect_uris", platform);
        Optional<String> idTokenAlg = Optional.ofNullable(metadata.getIDTokenJWSAlg()).map(alg -> alg.getName());
        if (idTokenAlg.isPresent() && SigningAlgorithms.parse(idTokenAlg.get()).isEmpty()) {
            throw metadataError("id_token_signed_response_alg must be one of " + SigningAlgorithms.names() + ", not '"
                    + clean(idTokenAlg.get()) + "'");
        }
        return new ClientRegistration(name(metadata), platform, authMethod, redirectUris, postLogout, grantTypes, responseTypes,
                scopes(metadata, tenant), text(metadata.getSoftwareID() == null ? null : metadata.getSoftwareID().getValue(),
                "software_id"), text(metadata.getSoftwareVersion() == null ? null : metadata.getSoftwareVersion().getValue(),
                "software_version"), idTokenAlg, metadata.requiresPushedAuthorizationRequests());
    }

    private static List<String> grantTypes(OIDCClientMetadata metadata) {
        if (metadata.getGrantTypes() == null) {
            return List.of(GrantType.AUTHORIZATION_CODE.getValue());
        }
        List<String> grants = new ArrayList<>();
        for (GrantType grant : metadata.getGrantTypes()) {
            if (!GRANT_TYPES.contains(grant.getValue())) {
                throw metadataError("grant_types may hold only authorization_code and refresh_token: a registered client signs "
                        + "users in, '" + clean(grant.getValue()) + "' is not offered to it");
            }
            grants.add(grant.getValue());
        }
        if (!grants.contains(GrantType.AUTHORIZATION_CODE.getValue())) {
            throw metadataError("grant_types must include authorization_code");
        }
        return List.copyOf(grants);
    }

    private static List<String> responseTypes(OIDCClientMetadata metadata) {
        if (metadata.getResponseTypes() == null) {
            return List.of(ResponseType.CODE.toString());
        }
        for (ResponseType type : metadata.getResponseTypes()) {
            if (!type.equals(ResponseType.CODE)) {
                throw metadataError("response_types may hold only code, not '" + clean(type.toString()) + "'");
            }
        }
        if (metadata.getResponseTypes().isEmpty()) {
            throw metadataError("response_types must hold code");
        }
        return List.of(ResponseType.CODE.toString());
    }

    private static List<String> uris(Set<URI> uris, String field, Platform platform) {
        if (uris == null) {
            return List.of();
        }
        if (uris.size() > MAX_REDIRECT_URIS) {
            throw metadataError(field + " may hold at most " + MAX_REDIRECT_URIS + " URIs");
        }
        List<String> checked = new ArrayList<>();
        for (URI uri : uris) {
            String text = uri.toString();
            RedirectUris.problem(text, platform).ifPresent(problem -> {
                // the problem is ours, naming the URI, which RedirectUris already held to its length limit
                throw new OAuthException(OAuthError.INVALID_REDIRECT_URI, field + ": " + problem.replaceAll("\\p{Cntrl}", "?"));
            });
            checked.add(text);
        }
        return List.copyOf(checked);
    }

    /**
     * The scopes asked for, each offered by the tenant to registered clients and delegated (a registered client acts
     * for a signed-in user, never as itself or on behalf of someone it names); none asked for: every offered one.
     */
    private static Set<String> scopes(OIDCClientMetadata metadata, Tenant tenant) {
        List<String> offered = tenant.authorization().dynamicRegistration().scopes().stream()
                .filter(name -> tenant.scope(name).map(ScopeDefinition::kind).orElse(null) == ScopeKind.DELEGATED).toList();
        if (metadata.getScope() == null) {
            if (offered.isEmpty()) {
                throw metadataError("tenant " + tenant.id() + " offers no scopes to registered clients; an administrator lists "
                        + "them under dynamic_registration.scopes");
            }
            return new LinkedHashSet<>(offered);
        }
        String requested = metadata.getScope().toString();
        if (requested.length() > MAX_SCOPE_LENGTH) {
            throw metadataError("scope is longer than " + MAX_SCOPE_LENGTH + " characters");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String name : metadata.getScope().toStringList()) {
            Optional<ScopeKind> kind = tenant.scope(name).map(ScopeDefinition::kind);
            if (kind.isPresent() && kind.get() != ScopeKind.DELEGATED) {
                throw metadataError("scope '" + clean(name) + "' is an "
                        + kind.get().label() + " scope: registered clients may only get delegated scopes");
            }
            if (!offered.contains(name)) {
                throw metadataError("scope '" + clean(name) + "' is not offered to registered clients of tenant " + tenant.id()
                        + (offered.isEmpty() ? "" : "; offered: " + String.join(" ", offered)));
            }
            scopes.add(name);
        }
        return scopes;
    }

    private static String name(OIDCClientMetadata metadata) {
        String name = metadata.getName() == null ? "" : metadata.getName().strip();
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw metadataError("client_name may have at most " + MAX_NAME_LENGTH + " characters and no control characters");
        }
        return name.isEmpty() ? "Unnamed application" : name;
    }

    private static Optional<String> text(String value, String field) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > MAX_SOFTWARE_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw metadataError(field + " may have at most " + MAX_SOFTWARE_LENGTH + " characters and no control characters");
        }
        return Optional.of(value);
    }

    private static OAuthException metadataError(String description) {
        return new OAuthException(OAuthError.INVALID_CLIENT_METADATA, description);
    }

    /** Keeps a request's text out of quotes and control characters in a description, and short. */
    static String clean(String text) {
        String printable = text == null ? "" : text.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
        return printable.length() <= 120 ? printable : printable.substring(0, 120) + "...";
    }
}
