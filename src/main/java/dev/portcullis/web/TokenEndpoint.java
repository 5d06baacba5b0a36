package dev.portcullis.web;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientCredentials;
import dev.portcullis.grant.GrantHandler;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.observe.AuditLog;
import dev.portcullis.observe.TokenMetrics;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.ratelimit.RateLimitRoutes;
import dev.portcullis.ratelimit.RequestRateLimits;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;
import dev.portcullis.token.TokenResponseExtension;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code POST {realm}/oauth2/token}: route, parse, authenticate the client, check its proof of possession
 * (DPoP) if it sent one, run the grant handler, issue the token (bound to the proven key, if any). Every
 * refusal is an {@link OAuthException}.
 */
final class TokenEndpoint {

    static final int MAX_BODY_BYTES = 64 * 1024;
    /** A browser client must be able to read the nonce a DPoP-protected token endpoint hands out (RFC 9449 section 8). */
    private static final String DPOP_NONCE = "DPoP-Nonce";

    private final RealmResolver realms;
    private final CorsPolicy cors;
    private final GrantRegistry grants;
    private final ClientAuthenticator clientAuthenticator;
    private final ProofOfPossession proofOfPossession;
    private final AccessTokenIssuer issuer;
    private final TokenMetrics metrics;
    private final AuditLog audit;
    private final List<TokenResponseExtension> extensions;
    private final RequestRateLimits rateLimits;

    TokenEndpoint(RealmResolver realms, CorsPolicy cors, GrantRegistry grants, ClientAuthenticator clientAuthenticator,
                  ProofOfPossession proofOfPossession, AccessTokenIssuer issuer, TokenMetrics metrics, AuditLog audit,
                  List<TokenResponseExtension> extensions, RequestRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.realms = realms;
        this.cors = cors;
        this.grants = grants;
        this.clientAuthenticator = clientAuthenticator;
        this.proofOfPossession = proofOfPossession;
        this.issuer = issuer;
        this.metrics = metrics;
        this.audit = audit;
        this.extensions = List.copyOf(extensions);
    }

    void handle(Context ctx) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            Realm realm = realms.resolve(ctx);
            cors.decorate(ctx, realm, DPOP_NONCE);
            FormParameters form = FormParameters.parse(readFormBody(ctx));
            String grantType = form.get("grant_type").orElseThrow(() -> OAuthException.invalidRequest(
                    "missing required parameter 'grant_type'; supported: " + String.join(", ", grants.grantTypes())));
            GrantHandler<?> handler = grants.forType(grantType).orElseThrow(() -> new OAuthException(
                    OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type '" + grantType + "' is not supported; supported: "
                    + String.join(", ", grants.grantTypes())));
            ClientCredentials credentials = ClientCredentials.parse(Optional.ofNullable(ctx.header("Authorization")), form, realm.id());
            TokenGrant grant = run(ctx, handler, form, realm, credentials);
            IssuedToken token = issuer.issue(grant);
            Map<String, Object> added = new LinkedHashMap<>();
            extensions.forEach(extension -> added.putAll(extension.parameters(grant, token)));
            audit.tokenIssued(grant, token);
            metrics.issued(grant.grantType(), realm.tenant().id());
            respond(ctx, token, added);
            outcome = "success";
        } finally {
            metrics.tokenRequest(start, outcome);
        }
    }

    /** CORS preflight: only origins of the tenant's spa redirect URIs may call the token endpoint from a browser. */
    void preflight(Context ctx) {
        cors.preflight(ctx, realms.resolve(ctx), "POST", "token endpoint");
    }

    /**
     * Authenticates before parsing, so a caller without credentials learns nothing of a grant's validation; the DPoP
     * proof is checked (and its jti spent) only for a well-formed request of an authenticated client.
     */
    private <R> TokenGrant run(Context ctx, GrantHandler<R> handler, FormParameters form, Realm realm,
                               ClientCredentials credentials) {
        ClientApplication client = clientAuthenticator.authenticate(realm, credentials, "grant_type=" + handler.grantType(),
                handler.allowsPublicClients());
        RateLimitRoutes.checkClient(rateLimits, realm, client.clientId());
        if (!client.mayUseGrantType(handler.grantType())) {
            throw OAuthException.unauthorizedClient("client " + client.clientId() + " registered the grant types "
                    + String.join(", ", new TreeSet<>(client.registeredGrantTypes())) + ", not " + handler.grantType()
                    + " (RFC 7591 section 2); it may update its registration");
        }
        R request = handler.parse(form, realm);
        Optional<ProofKey> proofKey = proofOfPossession.verify(ctx, realm);
        return handler.grant(request, client, realm, proofKey).boundTo(proofKey);
    }

    private static void respond(Context ctx, IssuedToken token, Map<String, Object> added) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        token.issuedTokenType().ifPresent(type -> body.put("issued_token_type", type));
        body.put("token_type", token.tokenType());
        body.put("expires_in", token.expiresIn());
        body.put("scope", token.scope());
        token.refreshToken().ifPresent(refresh -> body.put("refresh_token", refresh));
        added.forEach(body::putIfAbsent);
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 200, body);
    }

    static byte[] readFormBody(Context ctx) {
        return RequestBodies.read(ctx, "application/x-www-form-urlencoded", MAX_BODY_BYTES);
    }
}
