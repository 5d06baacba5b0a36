package dev.portcullis.par;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientCredentials;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.dpop.DpopProofs;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.signin.AuthorizationError;
import dev.portcullis.signin.AuthorizationRequest;
import dev.portcullis.signin.PushedRequests;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.token.ProofKey;
import dev.portcullis.web.CorsPolicy;
import dev.portcullis.web.FormBodies;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * {@code POST {realm}/oauth2/par} (RFC 9126 section 2): route, read the form, authenticate the client as the token
 * endpoint does (public clients send only client_id), validate the parameters with the authorize endpoint's own
 * {@link AuthorizationRequest#parse}, store them. Every refusal is RFC 6749 error JSON (section 2.3), never a redirect.
 * All authorization parameters are kept as sent, so one the authorize endpoint learns to read is pushed as well.
 */
final class ParEndpoint {

    private final TenantDirectory tenants;
    private final ClientDirectory clients;
    private final ResourceIndicators resources;
    private final DpopProofs dpop;
    private final ClientAuthenticator authenticator;
    private final PushedRequests pushed;
    private final CorsPolicy cors;
    private final Clock clock;

    ParEndpoint(TenantDirectory tenants, ClientDirectory clients, ClientAuthenticator authenticator, PushedRequests pushed,
                CorsPolicy cors, Clock clock, ResourceIndicators resources, DpopProofs dpop) {
        this.tenants = tenants;
        this.dpop = dpop;
        this.clients = clients;
        this.resources = resources;
        this.authenticator = authenticator;
        this.pushed = pushed;
        this.cors = cors;
        this.clock = clock;
    }

    void handle(Context ctx) {
        Realm realm = realm(ctx);
        cors.decorate(ctx, realm);
        FormParameters form = FormBodies.read(ctx);
        ClientCredentials credentials = ClientCredentials.parse(Optional.ofNullable(ctx.header("Authorization")), form, realm.id());
        ClientApplication client = authenticator.authenticate(realm, credentials, "a pushed authorization request", true);
        if (form.has("request_uri")) {
            throw OAuthException.invalidRequest("request_uri cannot be pushed: the pushed parameters are the request "
                    + "(RFC 9126 section 2.1)");
        }
        if (form.has("request")) {
            throw OAuthException.invalidRequest("request objects (the request parameter) are not supported; push the "
                    + "authorization parameters themselves");
        }
        Map<String, String> parameters = new LinkedHashMap<>(form.asMap());
        parameters.remove("client_secret");
        // with HTTP Basic the body may leave client_id out; the authorize endpoint needs it among the parameters
        parameters.put("client_id", client.clientId());
        // RFC 9449 section 10.1: a DPoP proof with the push binds the code to its key, as dpop_jkt does; both must agree
        Optional<ProofKey> proof = dpop.authorizationServerRequest(dpopHeaders(ctx), realm, "/oauth2/par", false);
        if (proof.isPresent()) {
            if (form.get("dpop_jkt").filter(jkt -> !jkt.equals(proof.get().jkt())).isPresent()) {
                throw OAuthException.invalidDpopProof("dpop_jkt names another key than the one the DPoP proof was made with");
            }
            parameters.put("dpop_jkt", proof.get().jkt());
        }
        // resource may repeat (RFC 8707): every value is pushed, not only the first
        parameters.remove(FormParameters.RESOURCE);
        String query = encode(parameters, form.all(FormParameters.RESOURCE));
        try {
            AuthorizationRequest.parse(realm, query, clients, resources);
        } catch (AuthorizationError e) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.code());
            body.put("error_description", e.description());
            JsonResponses.noStore(ctx);
            JsonResponses.write(ctx, 400, body);
            return;
        }
        long now = clock.instant().getEpochSecond();
        String requestUri = pushed.push(realm, client.clientId(), query, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_uri", requestUri);
        body.put("expires_in", PushedRequests.LIFETIME_SECONDS);
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 201, body);
    }

    /** CORS preflight: single-page applications push from the browser, as they call the token endpoint. */
    void preflight(Context ctx) {
        cors.preflight(ctx, realm(ctx), "POST", "pushed authorization request endpoint");
    }

    private Realm realm(Context ctx) {
        String realmId = ctx.pathParam("realm");
        return tenants.realm(realmId).orElseThrow(() -> new OAuthException(OAuthError.NOT_FOUND, "unknown realm '" + realmId
                + "': realm paths are /system/auth/{TENANT}-U (users) or /system/auth/{TENANT}-C (customers)"));
    }

    /** Every value of the request's DPoP headers, so that a repeated header is seen and refused. */
    private static List<String> dpopHeaders(Context ctx) {
        var values = ctx.req().getHeaders("DPoP");
        return values == null ? List.of() : java.util.Collections.list(values);
    }

    private static String encode(Map<String, String> parameters, List<String> resources) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        resources.forEach(resource -> query.add(FormParameters.RESOURCE + "=" + URLEncoder.encode(resource, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
