package dev.portcullis.tenant;

import java.util.List;
import java.util.Optional;

/**
 * How a tenant lets clients it has not registered by hand in, and how tightly it binds their tokens (the MCP
 * authorization specification's needs): the resources (RFC 8707) its tokens may be bound to, Client ID Metadata
 * Documents, Dynamic Client Registration (RFC 7591), whether every authorization request must be pushed first
 * (RFC 9126), and whether DPoP proofs (RFC 9449) must carry a server nonce.
 */
public record AuthorizationSettings(List<String> resources, MetadataDocuments clientIdMetadataDocuments,
                                    DynamicRegistration dynamicRegistration, boolean requirePar, boolean dpopNonce) {

    /** What a tenant has until its settings say otherwise: metadata documents on, registration off. */
    public static final AuthorizationSettings DEFAULT = new AuthorizationSettings(List.of(),
            new MetadataDocuments(true, List.of()), new DynamicRegistration(false, Optional.empty(), List.of()), false, false);

    public AuthorizationSettings {
        resources = List.copyOf(resources);
    }

    /**
     * Client ID Metadata Documents: a {@code client_id} that is an https URL names its own metadata. {@code allowedHosts}
     * empty: any public host; otherwise only these host names.
     */
    public record MetadataDocuments(boolean enabled, List<String> allowedHosts) {
        public MetadataDocuments {
            allowedHosts = List.copyOf(allowedHosts);
        }

        public boolean allows(String host) {
            return enabled && (allowedHosts.isEmpty() || allowedHosts.contains(host));
        }
    }

    /**
     * Dynamic Client Registration: {@code initialAccessTokenHash} (base64url SHA-256) empty means open registration;
     * {@code scopes}: the delegated scopes a registered client may be given.
     */
    public record DynamicRegistration(boolean enabled, Optional<String> initialAccessTokenHash, List<String> scopes) {
        public DynamicRegistration {
            scopes = List.copyOf(scopes);
        }
    }

    public boolean registersResource(String resource) {
        return resources.contains(resource);
    }
}
