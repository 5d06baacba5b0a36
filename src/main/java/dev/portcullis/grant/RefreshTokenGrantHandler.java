package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.token.RefreshTokens.Family;
import dev.portcullis.token.RefreshTokens.StoredToken;
import dev.portcullis.token.TokenGrant;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Refresh: a new access token for the same sign-in. Public (spa and native) clients get a new refresh token
 * every time and the old one is consumed; presenting a consumed one again revokes the whole family.
 * The scope may be narrowed, never widened; a disabled user or client can no longer refresh. A family bound to
 * a DPoP key (a public client's sign-in that used DPoP) is refreshed only with a proof of that key.
 */
public final class RefreshTokenGrantHandler implements GrantHandler<RefreshTokenRequest> {

    private final RefreshTokens refreshTokens;
    private final SubjectDirectory subjects;
    private final ResourceIndicators resources;
    private final Sql sql;
    private final Clock clock;

    public RefreshTokenGrantHandler(RefreshTokens refreshTokens, SubjectDirectory subjects, ResourceIndicators resources, Sql sql,
                                    Clock clock) {
        this.refreshTokens = refreshTokens;
        this.subjects = subjects;
        this.resources = resources;
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return RefreshTokenRequest.GRANT_TYPE;
    }

    @Override
    public boolean allowsPublicClients() {
        return true;
    }

    @Override
    public RefreshTokenRequest parse(FormParameters form, Realm realm) {
        return RefreshTokenRequest.parse(form);
    }

    @Override
    public TokenGrant grant(RefreshTokenRequest request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey) {
        long now = clock.instant().getEpochSecond();
        StoredToken token = refreshTokens.find(request.refreshToken())
                .filter(t -> t.family().tenantId().equals(realm.tenant().id()) && t.family().realm() == realm.type())
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
        Family family = token.family();
        if (!family.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("the refresh token was issued to another client");
        }
        // before the reuse check: someone holding a stolen bound token but not its key must not be able to revoke the family
        checkDpopBinding(family, proofKey);
        if (family.revokedAt().isPresent()) {
            throw OAuthException.invalidGrant("the refresh token has been revoked; sign in again");
        }
        if (token.consumedAt().isPresent()) {
            throw reused(family, now);
        }
        Tenant.RefreshPolicy policy = realm.tenant().refreshPolicy();
        if (now >= family.absoluteExpiresAt() || now - token.lastUsedAt() >= policy.idleTtl()) {
            throw OAuthException.invalidGrant("the refresh token has expired; sign in again");
        }
        ScopeSet scope = narrowed(request, family, client, realm);
        Optional<String> audience = resources.audience(realm.tenant(), family.resources(), request.resource());
        Subject subject = subjects.findActive(family.tenantId(), family.realm(), family.subjectId())
                .orElseThrow(() -> OAuthException.invalidGrant("the account that signed in is no longer active"));

        Optional<String> next = Optional.empty();
        if (client.platform().isConfidential()) {
            refreshTokens.touch(token.tokenHash(), now);
        } else {
            next = sql.inTransaction(tx -> refreshTokens.consume(tx, token.tokenHash(), now)
                    ? Optional.of(refreshTokens.addToken(tx, family.id(), now))
                    : Optional.<String>empty());
            if (next.isEmpty()) {
                throw reused(family, now);
            }
        }
        return new TokenGrant(realm, client, grantType(), ActorType.signedIn(realm.type()), Optional.of(subject), scope, next)
                .withSignIn(family.signIn()).withAudience(audience);
    }

    private static void checkDpopBinding(Family family, Optional<ProofKey> proofKey) {
        if (family.dpopKey().isEmpty()) {
            return;
        }
        ProofKey proven = proofKey.orElseThrow(() -> OAuthException.invalidDpopProof("this refresh token is bound to a DPoP "
                + "key: send a DPoP proof signed with that key"));
        if (!proven.matches(family.dpopKey().get().jkt())) {
            throw OAuthException.invalidGrant("the refresh token is bound to another DPoP key than the proof's");
        }
    }

    private static ScopeSet narrowed(RefreshTokenRequest request, Family family, ClientApplication client, Realm realm) {
        Set<String> granted = ScopeSet.parse(family.scope()).names();
        ScopeSet scope = request.scope().orElse(ScopeSet.parse(family.scope()));
        for (String name : scope.names()) {
            if (!granted.contains(name)) {
                throw OAuthException.invalidScope("scope '" + name + "' was not granted at sign-in; a refresh can only narrow the scope");
            }
        }
        ScopePolicy.check(realm.tenant(), client, scope, ScopeKind.DELEGATED, "grant_type=refresh_token");
        return scope;
    }

    private OAuthException reused(Family family, long now) {
        refreshTokens.revokeFamily(family.id(), now);
        return OAuthException.invalidGrant("the refresh token was already used; the sign-in has been revoked for safety");
    }
}
