package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.AuthorizationCodes;
import dev.portcullis.token.AuthorizationCodes.StoredCode;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.RefreshTokens;
import dev.portcullis.token.TokenGrant;

import java.time.Clock;
import java.util.Optional;

/**
 * Authorization Code (with PKCE): redeems a code exactly once for an access token and the first
 * refresh token of a new family. A second redemption fails and revokes what the first obtained.
 * Every binding is checked before the code is consumed, so a stolen code without its verifier
 * (or without the DPoP key that {@code dpop_jkt} bound it to) cannot burn the legitimate client's code.
 * A public client's refresh tokens are bound to the key of the redemption's DPoP proof, if it sent one.
 */
public final class AuthorizationCodeGrantHandler implements GrantHandler<AuthorizationCodeRequest> {

    private final AuthorizationCodes codes;
    private final RefreshTokens refreshTokens;
    private final SubjectDirectory subjects;
    private final AccessTokenVerifier accessTokens;
    private final ResourceIndicators resources;
    private final Sql sql;
    private final Clock clock;

    public AuthorizationCodeGrantHandler(AuthorizationCodes codes, RefreshTokens refreshTokens, SubjectDirectory subjects,
                                         AccessTokenVerifier accessTokens, ResourceIndicators resources, Sql sql, Clock clock) {
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.subjects = subjects;
        this.accessTokens = accessTokens;
        this.resources = resources;
        this.sql = sql;
        this.clock = clock;
    }

    @Override
    public String grantType() {
        return AuthorizationCodeRequest.GRANT_TYPE;
    }

    @Override
    public boolean allowsPublicClients() {
        return true;
    }

    @Override
    public AuthorizationCodeRequest parse(FormParameters form, Realm realm) {
        return AuthorizationCodeRequest.parse(form);
    }

    @Override
    public TokenGrant grant(AuthorizationCodeRequest request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey) {
        long now = clock.instant().getEpochSecond();
        StoredCode code = codes.find(request.code())
                .filter(c -> c.tenantId().equals(realm.tenant().id()) && c.realm() == realm.type())
                .orElseThrow(() -> OAuthException.invalidGrant("the authorization code is invalid"));
        if (!code.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("the authorization code was issued to another client");
        }
        if (code.consumedAt().isPresent()) {
            throw replayed(code, now);
        }
        if (code.expiresAt() <= now) {
            throw OAuthException.invalidGrant("the authorization code has expired (codes are valid "
                    + AuthorizationCodes.LIFETIME_SECONDS + " seconds)");
        }
        if (!code.redirectUri().equals(request.redirectUri())) {
            throw OAuthException.invalidGrant("redirect_uri differs from the one in the authorization request");
        }
        checkPkce(code, request);
        checkDpopBinding(code, proofKey);
        // before the code is redeemed: a wrong resource must leave the code usable with the right one
        Optional<String> audience = resources.audience(realm.tenant(), code.resources(), request.resource());
        Subject subject = subjects.findActive(code.tenantId(), code.realm(), code.subjectId())
                .orElseThrow(() -> OAuthException.invalidGrant("the account that signed in is no longer active"));

        String familyId = RefreshTokens.newFamilyId();
        String accessTokenId = TokenGrant.newAccessTokenId();
        long accessTokenExpiry = now + TokenGrant.accessTokenLifetime(client, realm);
        Optional<String> refreshToken = sql.inTransaction(tx -> {
            if (!codes.redeem(tx, request.code(), familyId, new AuthorizationCodes.IssuedAccessToken(accessTokenId, accessTokenExpiry), now)) {
                return Optional.<String>empty();
            }
            return Optional.of(refreshTokens.startFamily(tx, familyId, code.tenantId(), code.realm(), code.clientId(),
                    code.subjectId(), code.scope(), code.resources(), code.signIn(), familyKey(client, proofKey),
                    realm.tenant().refreshPolicy().absoluteTtl(), now));
        });
        if (refreshToken.isEmpty()) {
            throw replayed(codes.find(request.code()).orElse(code), now);
        }
        // a client that registered without refresh_token gets none; its family still links the code to what it issued
        Optional<String> issuedRefreshToken = client.mayUseGrantType(RefreshTokenRequest.GRANT_TYPE) ? refreshToken : Optional.empty();
        return new TokenGrant(realm, client, grantType(), ActorType.signedIn(realm.type()), Optional.of(subject),
                ScopeSet.parse(code.scope()), issuedRefreshToken, accessTokenId).withSignIn(code.signIn()).withAudience(audience);
    }

    private static void checkPkce(StoredCode code, AuthorizationCodeRequest request) {
        if (code.codeChallenge().isPresent()) {
            String verifier = request.codeVerifier().orElseThrow(() -> OAuthException.invalidRequest(
                    "missing required parameter 'code_verifier': the authorization request carried a code_challenge"));
            if (!Pkce.verifies(verifier, code.codeChallenge().get())) {
                throw OAuthException.invalidGrant("code_verifier does not match the code_challenge (S256)");
            }
        } else if (request.codeVerifier().isPresent()) {
            throw OAuthException.invalidGrant("code_verifier was sent, but the authorization request carried no code_challenge");
        }
    }

    /** RFC 9449 section 10: a code requested with dpop_jkt is redeemed only with a proof of that key. */
    private static void checkDpopBinding(StoredCode code, Optional<ProofKey> proofKey) {
        if (code.dpopKey().isEmpty()) {
            return;
        }
        ProofKey proven = proofKey.orElseThrow(() -> OAuthException.invalidDpopProof("the authorization request bound this "
                + "code to a DPoP key (dpop_jkt): send a DPoP proof signed with that key"));
        if (!proven.matches(code.dpopKey().get().jkt())) {
            throw OAuthException.invalidGrant("the DPoP proof is signed with another key than the one dpop_jkt bound the code to");
        }
    }

    /**
     * RFC 9449 section 5: a public client's refresh tokens are bound to its DPoP key, since nothing else ties them to
     * the client; a confidential client's are already tied to its secret, and stay unbound.
     */
    static Optional<ProofKey> familyKey(ClientApplication client, Optional<ProofKey> proofKey) {
        return client.platform().isConfidential() ? Optional.empty() : proofKey;
    }

    /** RFC 9700 section 4.5: a second redemption means the code leaked, so what the first one obtained is revoked. */
    private OAuthException replayed(StoredCode code, long now) {
        code.familyId().ifPresent(family -> refreshTokens.revokeFamily(family, now));
        code.accessToken().ifPresent(token -> accessTokens.revoke(code.tenantId(), token.jti(), token.expiresAt()));
        return OAuthException.invalidGrant("the authorization code was already used; the tokens issued for it have been revoked");
    }
}
