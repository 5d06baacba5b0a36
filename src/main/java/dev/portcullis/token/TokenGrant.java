package dev.portcullis.token;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.Subject;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a grant handler decided: who the token is for, for which client and scopes.
 * The issuer turns it into a signed access token. {@code signIn} is set for grants that stem from an
 * interactive sign-in (a code and its refreshes), which is what an ID token describes. {@code audience} is the
 * resource (RFC 8707) the token is bound to; empty: the server's api_url. {@code proofKey} is set when the
 * client proved with DPoP (RFC 9449) that it holds a key: the access token is then bound to it.
 */
public record TokenGrant(
        Realm realm,
        ClientApplication client,
        String grantType,
        ActorType actorType,
        Optional<Subject> subject,
        ScopeSet scopes,
        Optional<String> refreshToken,
        String accessTokenId,
        Optional<ExchangeDetails> exchange,
        Optional<SignInEvent> signIn,
        Optional<String> audience,
        Optional<ProofKey> proofKey) {

    /** A grant for the api_url audience, bound to no DPoP key. */
    public TokenGrant(Realm realm, ClientApplication client, String grantType, ActorType actorType, Optional<Subject> subject,
                      ScopeSet scopes, Optional<String> refreshToken, String accessTokenId, Optional<ExchangeDetails> exchange,
                      Optional<SignInEvent> signIn) {
        this(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, exchange, signIn, Optional.empty(),
                Optional.empty());
    }

    /** A grant that may be a token exchange and stems from no interactive sign-in. */
    public TokenGrant(Realm realm, ClientApplication client, String grantType, ActorType actorType, Optional<Subject> subject,
                      ScopeSet scopes, Optional<String> refreshToken, String accessTokenId, Optional<ExchangeDetails> exchange) {
        this(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, exchange, Optional.empty());
    }

    /** A grant with a chosen {@code jti} that is no token exchange. */
    public TokenGrant(Realm realm, ClientApplication client, String grantType, ActorType actorType, Optional<Subject> subject,
                      ScopeSet scopes, Optional<String> refreshToken, String accessTokenId) {
        this(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, Optional.empty());
    }

    /** A grant that returns no refresh token. */
    public TokenGrant(Realm realm, ClientApplication client, String grantType, ActorType actorType, Optional<Subject> subject,
                      ScopeSet scopes) {
        this(realm, client, grantType, actorType, subject, scopes, Optional.empty());
    }

    /** A grant whose access token gets a fresh {@code jti}. */
    public TokenGrant(Realm realm, ClientApplication client, String grantType, ActorType actorType, Optional<Subject> subject,
                      ScopeSet scopes, Optional<String> refreshToken) {
        this(realm, client, grantType, actorType, subject, scopes, refreshToken, newAccessTokenId());
    }

    /**
     * A {@code jti} chosen before the token is issued, for a grant that must remember it (a code's
     * redemption records it so that a replay of the code can deny the token too).
     */
    public static String newAccessTokenId() {
        return TokenIds.next();
    }

    /** The same grant as the outcome of a token exchange. */
    public TokenGrant withExchange(ExchangeDetails details) {
        return new TokenGrant(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, Optional.of(details),
                signIn, audience, proofKey);
    }

    /** The same grant as the outcome of the interactive sign-in {@code event}. */
    public TokenGrant withSignIn(Optional<SignInEvent> event) {
        return new TokenGrant(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, exchange, event,
                audience, proofKey);
    }

    /** The same grant for the resource {@code resource} (RFC 8707); empty: the api_url. */
    public TokenGrant withAudience(Optional<String> resource) {
        return new TokenGrant(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, exchange, signIn,
                resource, proofKey);
    }

    /** The same grant, its access token bound to {@code key} when the request carried a DPoP proof (RFC 9449 section 6). */
    public TokenGrant boundTo(Optional<ProofKey> key) {
        return new TokenGrant(realm, client, grantType, actorType, subject, scopes, refreshToken, accessTokenId, exchange, signIn,
                audience, key);
    }

    public long accessTokenLifetime() {
        return accessTokenLifetime(client, realm);
    }

    /** Seconds the access token issued at {@code now} lives: an exchanged token never outlives the token it came from. */
    public long accessTokenLifetime(long now) {
        long lifetime = accessTokenLifetime();
        OptionalLong notAfter = exchange.map(ExchangeDetails::notAfter).orElse(OptionalLong.empty());
        return notAfter.isPresent() ? Math.max(0, Math.min(lifetime, notAfter.getAsLong() - now)) : lifetime;
    }

    /** Seconds an access token for this client lives: the client's setting, else the tenant's. */
    public static long accessTokenLifetime(ClientApplication client, Realm realm) {
        return client.accessTokenTtl().orElse(realm.tenant().accessTokenTtl());
    }

    /** The token's {@code sub}: the subject's id, or the client's id for a client acting for itself. */
    public String subjectId() {
        return subject.map(Subject::id).orElse(client.clientId());
    }

    public boolean actsOnBehalf() {
        return actorType == ActorType.CLIENT_ON_BEHALF_OF_USER || actorType == ActorType.CLIENT_ON_BEHALF_OF_CUSTOMER;
    }
}
