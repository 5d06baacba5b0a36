package dev.portcullis.resourceserver;

import com.nimbusds.jwt.JWTClaimsSet;

import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** An access token whose signature, issuer, audience, type and lifetime have been checked. */
public final class AccessToken {

    private final String issuer;
    private final ActorType actorType;
    private final Set<String> scopes;
    private final JWTClaimsSet claims;

    AccessToken(String issuer, ActorType actorType, Set<String> scopes, JWTClaimsSet claims) {
        this.issuer = issuer;
        this.actorType = actorType;
        this.scopes = Set.copyOf(scopes);
        this.claims = claims;
    }

    /** The trusted issuer that signed it: a realm such as {@code https://auth.example.com/system/auth/T-U}. */
    public String issuer() {
        return issuer;
    }

    /** The user's or customer's id, or the client's for {@code client_app} tokens. */
    public String subject() {
        return claims.getSubject();
    }

    public ActorType actorType() {
        return actorType;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public String clientId() {
        return stringClaim("client_id").orElse(null);
    }

    /** eGain's tenant id, e.g. {@code TMPRODB88619984}. */
    public Optional<String> tenant() {
        return stringClaim("tenant");
    }

    public Optional<String> username() {
        return stringClaim("username");
    }

    public Optional<String> email() {
        return stringClaim("email");
    }

    /**
     * The RFC 7638 thumbprint of the key a DPoP-bound token is bound to ({@code cnf.jkt}, RFC 9449 section 6.1); empty for
     * a Bearer token. A token passed by {@link ResourceServer#authorize(ResourceRequest, AccessRule)} came with a proof of it.
     */
    public Optional<String> dpopThumbprint() {
        Object cnf = claims.getClaim("cnf");
        if (cnf == null) {
            return Optional.empty();
        }
        // a cnf without a usable jkt binds the token to no key anyone can prove, rather than to none
        Object jkt = cnf instanceof java.util.Map<?, ?> map ? map.get("jkt") : null;
        return Optional.of(jkt instanceof String thumbprint ? thumbprint : "");
    }

    /** Every claim, for what this class does not name. */
    public JWTClaimsSet claims() {
        return claims;
    }

    private Optional<String> stringClaim(String name) {
        try {
            return Optional.ofNullable(claims.getStringClaim(name));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** The space-separated {@code scope} claim as a set (RFC 9068 section 2.2.3). */
    static Set<String> parseScopes(String scope) {
        Set<String> names = new LinkedHashSet<>();
        if (scope != null) {
            Arrays.stream(scope.split(" ")).filter(name -> !name.isEmpty()).forEach(names::add);
        }
        return names;
    }

    @Override
    public String toString() {
        return "AccessToken[iss=" + issuer + ", sub=" + subject() + ", actor_type=" + actorType.claim() + ", scope=" + scopes + "]";
    }
}
