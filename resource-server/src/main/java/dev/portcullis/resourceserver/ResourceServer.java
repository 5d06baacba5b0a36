package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks the bearer tokens an API receives: Portcullis access tokens of the trusted issuers, for this API's
 * audience, then the operation's {@link AccessRule}. Thread-safe; build one per API and share it.
 * <pre>
 * ResourceServer tokens = ResourceServer.builder()
 *         .trustIssuer("https://auth.example.com/system/auth/TMPRODB88619984-U")
 *         .audience("https://api.example.com")
 *         .build();
 * Decision decision = tokens.authorize(request.getHeader("Authorization"), readArticles);
 * </pre>
 */
public final class ResourceServer {

    /** RFC 6750 section 2.1's b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** Far above any Portcullis token, far below what would cost anything to refuse. */
    private static final int MAX_TOKEN_LENGTH = 16_384;

    private final TokenChecks checks;
    private final String realm;
    private final int retryAfterSeconds;

    private ResourceServer(TokenChecks checks, String realm, int retryAfterSeconds) {
        this.checks = checks;
        this.realm = realm;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Checks a token alone, with no operation's rule: for code that decides by itself what the caller may do. */
    public AccessToken verify(String token) throws InvalidTokenException, IssuerUnavailableException {
        return checks.verify(token);
    }

    /** The decision for a request with this {@code Authorization} header value (null when it had none). */
    public Decision authorize(String authorizationHeader, AccessRule rule) {
        Objects.requireNonNull(rule, "rule");
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Decision.noToken(realm);
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        if (!scheme.equalsIgnoreCase("Bearer")) {
            // another scheme (Basic, say) is no bearer token at all: the challenge says which scheme to use
            return Decision.noToken(realm);
        }
        String token = space < 0 ? "" : header.substring(space + 1).strip();
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Decision.invalidToken(realm, "the token is longer than any access token");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            return Decision.invalidRequest(realm, "the Authorization header must be 'Bearer' followed by one access token");
        }
        AccessToken accessToken;
        try {
            accessToken = checks.verify(token);
        } catch (InvalidTokenException e) {
            return Decision.invalidToken(realm, e.getMessage());
        } catch (IssuerUnavailableException e) {
            return Decision.issuerUnavailable(retryAfterSeconds);
        }
        Optional<AccessRule.Refusal> refusal = rule.check(accessToken);
        if (refusal.isPresent()) {
            return Decision.insufficientScope(realm, refusal.get().description(), refusal.get().requiredScopes());
        }
        return Decision.allowed(accessToken);
    }

    /** What an API tells apart: whom it trusts, who it is, and how strict to be. */
    public static final class Builder {
        private final List<String> issuers = new ArrayList<>();
        private Predicate<String> issuerPredicate;
        private int maxIssuers;
        private Function<String, JWKSource<SecurityContext>> keySource;
        private String audience;
        private String realm;
        private final Set<JOSEObjectType> types = new LinkedHashSet<>(Set.of(new JOSEObjectType("at+jwt")));
        private Set<JWSAlgorithm> algorithms;
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration keyCacheLifetime = Duration.ofMinutes(5);
        private Duration refetchInterval = Duration.ofSeconds(5);
        private ResourceRetriever retriever;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration readTimeout = Duration.ofSeconds(3);
        private int sizeLimitBytes = 256 * 1024;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Trusts a realm's tokens: its issuer URL exactly as in the tokens' {@code iss} and the realm's metadata,
         * e.g. {@code https://auth.example.com/system/auth/TMPRODB88619984-U}. Call once per tenant and realm.
         */
        public Builder trustIssuer(String... urls) {
            Arrays.stream(urls).map(TrustedIssuers::validatedIssuer).forEach(issuers::add);
            return this;
        }

        /**
         * For an API serving many tenants: trusts every issuer {@code trusted} accepts, asked on each token (so an
         * issuer it stops accepting is refused at once), keeping the keys of at most {@code maxIssuers} issuers.
         * The predicate must accept only issuers the API would list by hand, e.g. an exact prefix and a known tenant.
         */
        public Builder trustIssuers(Predicate<String> trusted, int maxIssuers) {
            if (maxIssuers < 1) {
                throw new IllegalArgumentException("maxIssuers must be at least 1");
            }
            this.issuerPredicate = Objects.requireNonNull(trusted, "trusted");
            this.maxIssuers = maxIssuers;
            return this;
        }

        /**
         * Takes each trusted issuer's keys from {@code keysByIssuer} instead of its metadata and JWKS: for an API
         * that runs inside the issuer itself and can read its key set without a request.
         */
        public Builder keySource(Function<String, JWKSource<SecurityContext>> keysByIssuer) {
            this.keySource = Objects.requireNonNull(keysByIssuer, "keysByIssuer");
            return this;
        }

        /** This API's URL, which the tokens' {@code aud} must contain (Portcullis' {@code api_url}). */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** The {@code realm} of the challenges; the audience by default. */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /** Also accepts {@code typ: JWT}, for tenants set to {@code access_token_typ: JWT}; RFC 9068 wants only at+jwt. */
        public Builder acceptTypJwt() {
            types.add(new JOSEObjectType("jwt"));
            return this;
        }

        /** The algorithms to accept; RS256, PS256, ES256 and (with Google Tink present) EdDSA by default. */
        public Builder algorithms(JWSAlgorithm... algorithms) {
            this.algorithms = new LinkedHashSet<>(Arrays.asList(algorithms));
            return this;
        }

        /** How far the API's clock may be from the issuer's when checking exp and nbf; 60 s by default, at most 5 min. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and 5 minutes");
            }
            this.clockSkew = skew;
            return this;
        }

        /** How long a fetched key set is used before it is fetched again; 5 minutes by default. */
        public Builder keyCacheLifetime(Duration lifetime) {
            this.keyCacheLifetime = lifetime;
            return this;
        }

        /** Unknown kids make at most two key fetches per interval, per issuer; 5 s by default. */
        public Builder unknownKeyRefetchInterval(Duration interval) {
            this.refetchInterval = interval;
            return this;
        }

        /** Timeouts and the size limit of metadata and key set fetches: 2 s, 3 s, 256 KiB by default. */
        public Builder fetchLimits(Duration connectTimeout, Duration readTimeout, int sizeLimitBytes) {
            this.connectTimeout = connectTimeout;
            this.readTimeout = readTimeout;
            this.sizeLimitBytes = sizeLimitBytes;
            return this;
        }

        /** Fetches metadata and keys with this retriever (a proxy's, say) instead; the limits above are then its own. */
        public Builder resourceRetriever(ResourceRetriever retriever) {
            this.retriever = retriever;
            return this;
        }

        /** The clock exp and nbf are compared with. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public ResourceServer build() {
            if (issuers.isEmpty() && issuerPredicate == null) {
                throw new IllegalStateException("trust at least one issuer");
            }
            if (audience == null) {
                throw new IllegalStateException("set the audience: this API's URL, as in the tokens' aud");
            }
            if (refetchInterval.compareTo(keyCacheLifetime) >= 0 || refetchInterval.toMillis() <= 0) {
                throw new IllegalStateException("the unknown-key refetch interval must be positive and shorter than the key "
                        + "cache lifetime");
            }
            boolean tink = AcceptedAlgorithms.tinkPresent();
            Set<JWSAlgorithm> accepted = algorithms == null ? AcceptedAlgorithms.defaults(tink)
                    : AcceptedAlgorithms.validated(algorithms, tink);
            ResourceRetriever fetcher = retriever != null ? retriever : new DefaultResourceRetriever(
                    (int) connectTimeout.toMillis(), (int) readTimeout.toMillis(), sizeLimitBytes);
            IssuerKeys.keySource(IssuerKeys.placeholderUrl(), fetcher, keyCacheLifetime, refetchInterval);
            Function<String, IssuerKeys> keysOf = keySource != null
                    ? issuer -> IssuerKeys.given(issuer, keySource.apply(issuer))
                    : issuer -> new IssuerKeys(issuer, fetcher, keyCacheLifetime, refetchInterval);
            TrustedIssuers trusted = new TrustedIssuers(issuers, issuerPredicate, Math.max(1, maxIssuers), keysOf);
            Set<JOSEObjectType> typs = new LinkedHashSet<>();
            types.forEach(type -> typs.add(new JOSEObjectType(type.getType().toLowerCase(Locale.ROOT))));
            TokenChecks checks = new TokenChecks(trusted, audience, Set.copyOf(typs), accepted, clockSkew, clock);
            return new ResourceServer(checks, realm != null ? realm : audience, (int) Math.max(1, refetchInterval.toSeconds()));
        }
    }
}
