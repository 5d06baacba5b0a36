package dev.portcullis.web;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.RefreshTokens;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST {realm}/oauth2/revoke} (RFC 7009). A client revokes its own tokens: a refresh token
 * ends the whole sign-in; an access token is denied by jti until it expires. Unknown or invalid
 * tokens are answered 200, as the RFC asks, so the endpoint reveals nothing.
 */
final class RevocationEndpoint {

    private static final Logger AUDIT = LoggerFactory.getLogger("portcullis.audit");

    private final RealmResolver realms;
    private final CorsPolicy cors;
    private final ClientAuthenticator clientAuthenticator;
    private final AccessTokenVerifier accessTokens;
    private final RefreshTokens refreshTokens;
    private final Clock clock;

    RevocationEndpoint(RealmResolver realms, CorsPolicy cors, ClientAuthenticator clientAuthenticator,
                       AccessTokenVerifier accessTokens, RefreshTokens refreshTokens, Clock clock) {
        this.realms = realms;
        this.cors = cors;
        this.clientAuthenticator = clientAuthenticator;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
    }

    void handle(Context ctx) {
        realms.resolveOptional(ctx).ifPresent(realm -> cors.decorate(ctx, realm));
        ClientRequest request = ClientRequest.read(ctx, realms, clientAuthenticator, "token revocation", true);
        Realm realm = request.realm();
        ClientApplication client = request.client();
        String token = request.form().require("token");
        long now = clock.instant().getEpochSecond();

        Optional<RefreshTokens.StoredToken> refresh = refreshTokens.find(token)
                .filter(t -> t.family().tenantId().equals(realm.tenant().id()) && t.family().realm() == realm.type());
        if (refresh.isPresent()) {
            requireOwner(refresh.get().family().clientId(), client);
            refreshTokens.revokeFamily(refresh.get().family().id(), now);
            AUDIT.info("token_revoked tenant={} realm={} client={} kind=refresh_token family={}", realm.tenant().id(),
                    realm.type().suffix(), client.clientId(), refresh.get().family().id());
        } else {
            Optional<JWTClaimsSet> access = accessTokens.verify(realm, token);
            if (access.isPresent()) {
                JWTClaimsSet claims = access.get();
                requireOwner(String.valueOf(claims.getClaim("client_id")), client);
                accessTokens.revoke(realm.tenant().id(), claims.getJWTID(), claims.getExpirationTime().getTime() / 1000);
                AUDIT.info("token_revoked tenant={} realm={} client={} kind=access_token jti={}", realm.tenant().id(),
                        realm.type().suffix(), client.clientId(), claims.getJWTID());
            }
        }
        JsonResponses.noStore(ctx);
        // RFC 7009 asks only for a 200; an empty JSON object keeps strict JSON clients from choking on it.
        JsonResponses.write(ctx, 200, Map.of());
    }

    private static void requireOwner(String ownerClientId, ClientApplication caller) {
        if (!ownerClientId.equals(caller.clientId())) {
            throw OAuthException.unauthorizedClient("the token was issued to another client; a client can revoke only its own tokens");
        }
    }
}
