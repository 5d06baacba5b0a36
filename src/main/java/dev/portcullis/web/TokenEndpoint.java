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
import dev.portcullis.token.TokenGrant;
import dev.portcullis.token.TokenResponseExtension;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST {realm}/oauth2/token}: route, parse, authenticate the client, run the grant
 * handler, issue the token. Every refusal is an {@link OAuthException}.
 */
final class TokenEndpoint {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final RealmResolver realms;
    private final CorsPolicy cors;
    private final GrantRegistry grants;
    private final ClientAuthenticator clientAuthenticator;
    private final AccessTokenIssuer issuer;
    private final TokenMetrics metrics;
    private final AuditLog audit;
    private final List<TokenResponseExtension> extensions;
    private final RequestRateLimits rateLimits;

    TokenEndpoint(RealmResolver realms, CorsPolicy cors, GrantRegistry grants, ClientAuthenticator clientAuthenticator,
                  AccessTokenIssuer issuer, TokenMetrics metrics, AuditLog audit, List<TokenResponseExtension> extensions,
                  RequestRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.realms = realms;
        this.cors = cors;
        this.grants = grants;
        this.clientAuthenticator = clientAuthenticator;
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
            cors.decorate(ctx, realm);
            FormParameters form = FormParameters.parse(readFormBody(ctx));
            String grantType = form.get("grant_type").orElseThrow(() -> OAuthException.invalidRequest(
                    "missing required parameter 'grant_type'; supported: " + String.join(", ", grants.grantTypes())));
            GrantHandler<?> handler = grants.forType(grantType).orElseThrow(() -> new OAuthException(
                    OAuthError.UNSUPPORTED_GRANT_TYPE, "grant_type '" + grantType + "' is not supported; supported: "
                    + String.join(", ", grants.grantTypes())));
            ClientCredentials credentials = ClientCredentials.parse(Optional.ofNullable(ctx.header("Authorization")), form, realm.id());
            TokenGrant grant = run(handler, form, realm, credentials);
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
        Realm realm = realms.resolve(ctx);
        String origin = ctx.header("Origin");
        ctx.header("Vary", "Origin");
        if (origin == null || !cors.allows(realm, origin)) {
            JsonResponses.error(ctx, OAuthError.ACCESS_DENIED, "origin " + (origin == null ? "(none)" : origin)
                    + " may not call this token endpoint; register it as a redirect URI of an spa client");
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    /** Authenticates before parsing, so a caller without credentials learns nothing of a grant's validation. */
    private <R> TokenGrant run(GrantHandler<R> handler, FormParameters form, Realm realm, ClientCredentials credentials) {
        ClientApplication client = clientAuthenticator.authenticate(realm, credentials, "grant_type=" + handler.grantType(),
                handler.allowsPublicClients());
        RateLimitRoutes.checkClient(rateLimits, realm, client.clientId());
        R request = handler.parse(form, realm);
        return handler.grant(request, client, realm);
    }

    private static void respond(Context ctx, IssuedToken token, Map<String, Object> added) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        token.issuedTokenType().ifPresent(type -> body.put("issued_token_type", type));
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        body.put("scope", token.scope());
        token.refreshToken().ifPresent(refresh -> body.put("refresh_token", refresh));
        added.forEach(body::putIfAbsent);
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 200, body);
    }

    static byte[] readFormBody(Context ctx) {
        String contentType = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded"
                    + (contentType.isBlank() ? " (none was sent)" : ", not '" + parts[0].trim() + "'"));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].trim().split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2
                    && !param[1].trim().replace("\"", "").toLowerCase(Locale.ROOT).equals("utf-8")) {
                throw OAuthException.invalidRequest("the form body must be UTF-8, not charset " + param[1].trim());
            }
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the request body could not be read");
        }
    }

    private static OAuthException tooLarge() {
        return OAuthException.invalidRequest("the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }
}
