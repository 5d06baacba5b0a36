package dev.portcullis.web;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.dpop.DpopAlgorithms;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.oidc.ProviderDocument;
import dev.portcullis.store.LookupCache;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.token.SigningAlgorithms;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Each realm's metadata: the RFC 8414 document at {@code oauth-authorization-server} (both well-known
 * paths), and the OpenID Provider document at {@code openid-configuration}. Both advertise only what
 * a stranger may use: the realm's delegated scopes (application and on-behalf-of scope names say which
 * back-office APIs a tenant has, and no browser sign-in can ask for them), and the password (On-Behalf-Of)
 * grant only when some enabled client of the tenant holds an on-behalf-of scope.
 */
final class MetadataEndpoint {

    private record OnBehalfOfKey(String tenantId) implements LookupCache.Key {
        @Override
        public long estimatedBytes() {
            return LookupCache.bytes(tenantId);
        }
    }

    private static final String ON_BEHALF_OF_GRANT = "password";

    private final RealmResolver realms;
    private final GrantRegistry grants;
    private final String publicUrl;
    private final ClientRepository clients;
    private final LookupCache cache;

    MetadataEndpoint(RealmResolver realms, GrantRegistry grants, String publicUrl, ClientRepository clients, LookupCache cache) {
        this.realms = realms;
        this.grants = grants;
        this.publicUrl = publicUrl;
        this.clients = clients;
        this.cache = cache;
    }

    void handle(Context ctx) {
        Realm realm = realms.resolve(ctx);
        ProviderDocument.OAuthFacts facts = facts(realm);
        String issuer = facts.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("jwks_uri", issuer + "/oauth2/jwks");
        metadata.put("introspection_endpoint", issuer + "/oauth2/introspect");
        metadata.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("revocation_endpoint", issuer + "/oauth2/revoke");
        metadata.put("end_session_endpoint", issuer + "/logout");
        metadata.put("revocation_endpoint_auth_methods_supported", facts.authMethods());
        metadata.put("grant_types_supported", facts.grantTypes());
        metadata.put("token_endpoint_auth_methods_supported", facts.authMethods());
        metadata.put("scopes_supported", facts.scopes());
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        advertiseMetadataDocuments(realm, metadata);
        metadata.put("pushed_authorization_request_endpoint", issuer + "/oauth2/par");
        metadata.put("require_pushed_authorization_requests", facts.requirePar());
        if (facts.registration()) {
            metadata.put("registration_endpoint", issuer + "/oauth2/register");
        }
        metadata.put("dpop_signing_alg_values_supported", DpopAlgorithms.names());
        write(ctx, metadata);
    }

    void handleOpenId(Context ctx) {
        Realm realm = realms.resolve(ctx);
        Map<String, Object> document = ProviderDocument.of(facts(realm), realm.type(),
                // every algorithm the server signs with: any client may register one (id_token_signed_response_alg)
                SigningAlgorithms.SUPPORTED);
        advertiseMetadataDocuments(realm, document);
        write(ctx, document);
    }

    /** A client may use the URL of its metadata document as its client_id here (draft-ietf-oauth-client-id-metadata-document section 5). */
    private static void advertiseMetadataDocuments(Realm realm, Map<String, Object> metadata) {
        if (realm.tenant().authorization().clientIdMetadataDocuments().enabled()) {
            metadata.put("client_id_metadata_document_supported", true);
        }
    }

    private ProviderDocument.OAuthFacts facts(Realm realm) {
        List<String> authMethods = new ArrayList<>(List.of("client_secret_basic", "client_secret_post"));
        if (grants.anyAllowsPublicClients()) {
            authMethods.add("none");
        }
        boolean onBehalfOf = cache.get(new OnBehalfOfKey(realm.tenant().id()), key -> anyClientActsOnBehalf(realm.tenant()),
                value -> 16L);
        List<String> grantTypes = grants.grantTypes().stream().filter(type -> onBehalfOf || !type.equals(ON_BEHALF_OF_GRANT)).toList();
        // the admin API's built-in scope is for the tenant's own administrators, not something to advertise to every client
        List<String> scopes = realm.tenant().scopes().values().stream().filter(scope -> scope.kind() == ScopeKind.DELEGATED)
                .map(ScopeDefinition::name).filter(name -> !BuiltInScopes.isBuiltIn(name)).toList();
        return new ProviderDocument.OAuthFacts(realm.issuer(publicUrl), grantTypes, List.copyOf(authMethods), scopes,
                realm.tenant().authorization().dynamicRegistration().enabled(), realm.tenant().authorization().requirePar());
    }

    private boolean anyClientActsOnBehalf(Tenant tenant) {
        Set<String> onBehalfOfScopes = tenant.scopes().values().stream().filter(scope -> scope.kind() == ScopeKind.ON_BEHALF_OF)
                .map(ScopeDefinition::name).collect(Collectors.toSet());
        return clients.list(tenant.id()).stream().filter(ClientApplication::enabled)
                .anyMatch(client -> client.scopes().stream().anyMatch(onBehalfOfScopes::contains));
    }

    private static void write(Context ctx, Map<String, Object> metadata) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cache-Control", "public, max-age=60");
        JsonResponses.write(ctx, 200, metadata);
    }
}
