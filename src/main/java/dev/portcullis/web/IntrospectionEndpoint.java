package dev.portcullis.web;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.RefreshTokens;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST {realm}/oauth2/introspect} (RFC 7662). Callers are the tenant's web clients (resource
 * servers register as such). Any of them may introspect an access token; a refresh token only
 * by the client it was issued to. Anything else is simply {@code {"active": false}}. A DPoP-bound token is
 * introspected as {@code token_type: DPoP} with its {@code cnf} (RFC 9449 section 6.2), so a resource server
 * knows to demand a proof of that key.
 */
final class IntrospectionEndpoint {

    private final RealmResolver realms;
    private final ClientAuthenticator clientAuthenticator;
    private final AccessTokenVerifier accessTokens;
    private final RefreshTokens refreshTokens;
    private final Clock clock;

    IntrospectionEndpoint(RealmResolver realms, ClientAuthenticator clientAuthenticator, AccessTokenVerifier accessTokens,
                          RefreshTokens refreshTokens, Clock clock) {
        this.realms = realms;
        this.clientAuthenticator = clientAuthenticator;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
    }

    void handle(Context ctx) {
        ClientRequest request = ClientRequest.read(ctx, realms, clientAuthenticator, "token introspection", false);
        Realm realm = request.realm();
        ClientApplication caller = request.client();
        String token = request.form().require("token");
        boolean refreshFirst = request.form().get("token_type_hint").filter("refresh_token"::equals).isPresent();
        Optional<Map<String, Object>> answer = refreshFirst
                ? refresh(realm, caller, token).or(() -> access(realm, token))
                : access(realm, token).or(() -> refresh(realm, caller, token));
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 200, answer.orElse(Map.of("active", false)));
    }

    private Optional<Map<String, Object>> access(Realm realm, String token) {
        return accessTokens.verify(realm, token).map(claims -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("active", true);
            Optional<String> boundKey = AccessTokenVerifier.boundKey(claims);
            body.put("token_type", boundKey.isPresent() ? IssuedToken.DPOP : IssuedToken.BEARER);
            copy(claims, body, "scope", "client_id", "username", "email", "sub", "aud", "iss", "jti", "tenant", "actor_type", "act");
            boundKey.ifPresent(jkt -> body.put("cnf", Map.of("jkt", jkt)));
            body.put("exp", claims.getExpirationTime().getTime() / 1000);
            body.put("iat", claims.getIssueTime().getTime() / 1000);
            return body;
        });
    }

    private Optional<Map<String, Object>> refresh(Realm realm, ClientApplication caller, String token) {
        long now = clock.instant().getEpochSecond();
        return refreshTokens.find(token)
                .filter(t -> t.family().tenantId().equals(realm.tenant().id()) && t.family().realm() == realm.type())
                .filter(t -> t.family().clientId().equals(caller.clientId()))
                .filter(t -> t.consumedAt().isEmpty() && t.family().revokedAt().isEmpty())
                .filter(t -> now < t.family().absoluteExpiresAt() && now - t.lastUsedAt() < realm.tenant().refreshPolicy().idleTtl())
                .map(t -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("active", true);
                    body.put("token_type", "refresh_token");
                    body.put("scope", t.family().scope());
                    body.put("client_id", t.family().clientId());
                    body.put("sub", t.family().subjectId());
                    body.put("tenant", t.family().tenantId());
                    body.put("exp", Math.min(t.family().absoluteExpiresAt(), t.lastUsedAt() + realm.tenant().refreshPolicy().idleTtl()));
                    return body;
                });
    }

    private static void copy(JWTClaimsSet claims, Map<String, Object> body, String... names) {
        for (String name : names) {
            Object value = claims.getClaim(name);
            if (value != null) {
                body.put(name, value instanceof java.util.List<?> list && list.size() == 1 ? list.get(0) : value);
            }
        }
    }
}
