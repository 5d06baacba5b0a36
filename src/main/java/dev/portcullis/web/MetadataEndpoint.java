package dev.portcullis.web;

import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 8414 authorization server metadata, one document per realm, served at its three well-known paths. */
final class MetadataEndpoint {

    private final RealmResolver realms;
    private final GrantRegistry grants;
    private final String publicUrl;

    MetadataEndpoint(RealmResolver realms, GrantRegistry grants, String publicUrl) {
        this.realms = realms;
        this.grants = grants;
        this.publicUrl = publicUrl;
    }

    void handle(Context ctx) {
        Realm realm = realms.resolve(ctx);
        String issuer = realm.issuer(publicUrl);
        List<String> authMethods = new ArrayList<>(List.of("client_secret_basic", "client_secret_post"));
        if (grants.anyAllowsPublicClients()) {
            authMethods.add("none");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("jwks_uri", issuer + "/oauth2/jwks");
        metadata.put("introspection_endpoint", issuer + "/oauth2/introspect");
        metadata.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        metadata.put("revocation_endpoint", issuer + "/oauth2/revoke");
        metadata.put("end_session_endpoint", issuer + "/logout");
        metadata.put("revocation_endpoint_auth_methods_supported", authMethods);
        metadata.put("grant_types_supported", grants.grantTypes());
        metadata.put("token_endpoint_auth_methods_supported", authMethods);
        metadata.put("scopes_supported", List.copyOf(realm.tenant().scopes().keySet()));
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cache-Control", "public, max-age=60");
        JsonResponses.write(ctx, 200, metadata);
    }
}
