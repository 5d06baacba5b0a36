package dev.portcullis.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.dpop.DpopAlgorithms;
import dev.portcullis.dpop.DpopProofs;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.ActorType;
import dev.portcullis.web.CorsPolicy;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET} and {@code POST {realm}/oauth2/userinfo} (OpenID Connect Core 5.3): the claims a
 * signed-in user's access token releases, for a token of this realm with the {@code openid} scope.
 * The token comes in the Authorization header (RFC 6750 section 2.1) or, for a POST, as the form
 * parameter {@code access_token} (section 2.2, which Nimbus' UserInfoRequest uses), never in the URL,
 * where logs would keep it; refusals are RFC 6750 challenges. A DPoP-bound token comes only as
 * {@code Authorization: DPoP <token>} with a proof of its key in the DPoP header (RFC 9449 section 7), and
 * is refused as a Bearer token, which anyone who saw it could send. Browsers may call it from the origins of
 * the tenant's spa clients, as they call the token endpoint.
 */
final class UserInfoEndpoint {

    /** Only tokens of interactive sign-ins describe a user who could have consented to releasing claims. */
    private static final Set<String> SIGNED_IN = Set.of(ActorType.signedIn(RealmType.USER).claim(),
            ActorType.signedIn(RealmType.CUSTOMER).claim());

    private static final int MAX_FORM_BYTES = 32 * 1024;
    private static final String PATH = "/oauth2/userinfo";

    /** The access token as the request presented it: as a Bearer token (header or form), or with the DPoP scheme. */
    private record Presented(String token, boolean dpop) {
    }

    private final TenantDirectory tenants;
    private final AccessTokenVerifier accessTokens;
    private final SubjectDirectory subjects;
    private final CorsPolicy cors;
    private final DpopProofs proofs;
    private final String publicUrl;
    private final String apiUrl;

    UserInfoEndpoint(TenantDirectory tenants, AccessTokenVerifier accessTokens, SubjectDirectory subjects, CorsPolicy cors,
                     DpopProofs proofs, String publicUrl, String apiUrl) {
        this.tenants = tenants;
        this.accessTokens = accessTokens;
        this.subjects = subjects;
        this.cors = cors;
        this.proofs = proofs;
        this.publicUrl = publicUrl;
        this.apiUrl = apiUrl;
    }

    void handle(Context ctx) {
        Realm realm = realm(ctx);
        cors.decorate(ctx, realm);
        ctx.header("Access-Control-Expose-Headers", "WWW-Authenticate");
        String realmName = realm.issuer(publicUrl);
        Presented presented = presentedToken(ctx, realmName, formToken(ctx, realmName));
        JWTClaimsSet claims = accessTokens.verify(realm, presented.token()).orElseThrow(() -> invalidToken(presented, realmName,
                "the access token is not valid here: expired, revoked, malformed or issued by another realm"));
        // a token bound to another resource (RFC 8707) is that resource's alone
        if (claims.getAudience() == null || !claims.getAudience().contains(apiUrl)) {
            throw invalidToken(presented, realmName, "the access token is for another resource (aud): userinfo accepts tokens "
                    + "for " + apiUrl);
        }
        checkProofOfPossession(ctx, realm, presented, claims);
        if (!SIGNED_IN.contains(claimOf(claims, "actor_type"))) {
            throw invalidToken(presented, realmName, "the access token was not issued to a signed-in user");
        }
        ScopeSet scope = ScopeSet.parse(claimOf(claims, "scope"));
        if (!scope.names().contains(StandardClaims.OPENID)) {
            throw OAuthException.bearer(OAuthError.INSUFFICIENT_SCOPE, "the access token lacks the openid scope", realmName, true,
                    Optional.of(StandardClaims.OPENID));
        }
        Subject subject = subjects.findActive(realm.tenant().id(), realm.type(), claims.getSubject())
                .orElseThrow(() -> invalidToken(presented, realmName, "the account the access token was issued for is no longer active"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", subject.id());
        body.putAll(StandardClaims.of(subject, scope.names()));
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 200, body);
    }

    /** CORS preflight: the Authorization header makes every browser call to userinfo a non-simple request. */
    void preflight(Context ctx) {
        cors.preflight(ctx, realm(ctx), "GET, POST", "userinfo endpoint");
    }

    private Realm realm(Context ctx) {
        String realmId = ctx.pathParam("realm");
        return tenants.realm(realmId).orElseThrow(() -> new OAuthException(OAuthError.NOT_FOUND, "unknown realm '"
                + (realmId.length() > 80 ? realmId.substring(0, 80) + "..." : realmId) + "'"));
    }

    /** The {@code access_token} of a form-encoded POST body, if any. */
    private static Optional<String> formToken(Context ctx, String realmName) {
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("").split(";", 2)[0].trim();
        if (!ctx.method().name().equals("POST") || !type.equalsIgnoreCase("application/x-www-form-urlencoded")) {
            return Optional.empty();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                throw OAuthException.bearer(OAuthError.INVALID_REQUEST, "the form is larger than " + MAX_FORM_BYTES / 1024 + " KiB",
                        realmName, true, Optional.empty());
            }
            return FormParameters.parse(body).get("access_token");
        } catch (IOException e) {
            throw OAuthException.bearer(OAuthError.INVALID_REQUEST, "the form could not be read", realmName, true, Optional.empty());
        }
    }

    /**
     * RFC 9449 section 7: a token presented with the DPoP scheme must be bound and come with a proof of its key; a
     * bound token presented as a Bearer token is refused, since a stolen copy would pass that way.
     */
    private void checkProofOfPossession(Context ctx, Realm realm, Presented presented, JWTClaimsSet claims) {
        Optional<String> boundKey = AccessTokenVerifier.boundKey(claims);
        if (presented.dpop()) {
            if (boundKey.isEmpty()) {
                throw invalidToken(presented, realm.issuer(publicUrl), "the access token is not DPoP-bound: send it as "
                        + "Authorization: Bearer <token>");
            }
            var headers = ctx.req().getHeaders("DPoP");
            proofs.resourceRequest(headers == null ? List.of() : java.util.Collections.list(headers), ctx.method().name(), realm,
                    PATH, presented.token(), boundKey.get());
        } else if (boundKey.isPresent()) {
            throw OAuthException.dpop(OAuthError.INVALID_TOKEN, "the access token is DPoP-bound: send it as Authorization: DPoP "
                    + "<token> with a DPoP proof of its key", realm.issuer(publicUrl), DpopAlgorithms.spaceSeparated());
        }
    }

    /** The one access token of the request; a request without one is told how to send it. */
    private static Presented presentedToken(Context ctx, String realmName, Optional<String> formToken) {
        List<String> headers = ctx.req().getHeaders("Authorization") == null ? List.of()
                : java.util.Collections.list(ctx.req().getHeaders("Authorization"));
        if (formToken.isPresent()) {
            if (!headers.isEmpty()) {
                throw OAuthException.bearer(OAuthError.INVALID_REQUEST, "send the access token once: in the Authorization header "
                        + "or the form, not both", realmName, true, Optional.empty());
            }
            return new Presented(checkedLength(formToken.get(), realmName), false);
        }
        if (headers.isEmpty()) {
            throw OAuthException.bearer(OAuthError.INVALID_TOKEN, "send the access token as Authorization: Bearer <token>",
                    realmName, false, Optional.empty());
        }
        if (headers.size() > 1) {
            throw OAuthException.bearer(OAuthError.INVALID_REQUEST, "send one Authorization header", realmName, true, Optional.empty());
        }
        String[] parts = headers.get(0).trim().split(" +", 2);
        boolean dpop = parts[0].equalsIgnoreCase("DPoP");
        if (parts.length != 2 || !(dpop || parts[0].equalsIgnoreCase("Bearer")) || parts[1].isBlank()) {
            throw OAuthException.bearer(OAuthError.INVALID_REQUEST, "the Authorization header must be Bearer <token> (or DPoP "
                    + "<token> for a DPoP-bound token)", realmName, true, Optional.empty());
        }
        return new Presented(checkedLength(parts[1].trim(), realmName), dpop);
    }

    private static String checkedLength(String token, String realmName) {
        if (token.length() > ParameterLimits.limitOf("token")) {
            throw invalidToken(realmName, "the access token is longer than " + ParameterLimits.limitOf("token") + " characters");
        }
        return token;
    }

    private static OAuthException invalidToken(String realmName, String description) {
        return OAuthException.bearer(OAuthError.INVALID_TOKEN, description, realmName, true, Optional.empty());
    }

    /** invalid_token in the scheme the token came with. */
    private static OAuthException invalidToken(Presented presented, String realmName, String description) {
        return presented.dpop()
                ? OAuthException.dpop(OAuthError.INVALID_TOKEN, description, realmName, DpopAlgorithms.spaceSeparated())
                : invalidToken(realmName, description);
    }

    private static String claimOf(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            return value == null ? "" : value;
        } catch (ParseException e) {
            return "";
        }
    }
}
