package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks the access tokens an API receives: Portcullis access tokens of the trusted issuers, for this API's
 * audience, then the operation's {@link AccessRule}. Thread-safe; build one per API and share it.
 * <pre>
 * ResourceServer tokens = ResourceServer.builder()
 *         .trustIssuer("https://auth.example.com/system/auth/TMPRODB88619984-U")
 *         .audience("https://api.example.com")
 *         .build();
 * Decision decision = tokens.authorize(ResourceRequest.of(request.getMethod(), request.getRequestURL().toString(),
 *         request.getHeader("Authorization"), Collections.list(request.getHeaders("DPoP"))), readArticles);
 * </pre>
 * A DPoP-bound token (RFC 9449: its {@code cnf.jkt} names a key) is accepted only as {@code Authorization: DPoP <token>}
 * with a proof of that key in the {@code DPoP} header, never as a Bearer token, which anyone who saw it could send.
 */
public final class ResourceServer {

    private final TokenChecks checks;
    private final RequestDecisions decisions;

    private ResourceServer(TokenChecks checks, RequestDecisions decisions) {
        this.checks = checks;
        this.decisions = decisions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks a token alone, with no operation's rule: for code that decides by itself what the caller may do. A
     * DPoP-bound token is refused here, since no proof comes with it: use {@link #authorize(ResourceRequest, AccessRule)}.
     */
    public AccessToken verify(String token) throws InvalidTokenException, IssuerUnavailableException {
        AccessToken accessToken = checks.verify(token);
        if (accessToken.dpopThumbprint().isPresent()) {
            throw new InvalidTokenException("the token is DPoP-bound: it is good only with a DPoP proof of its key");
        }
        return accessToken;
    }

    /**
     * The decision for a request with this {@code Authorization} header value (null when it had none), for Bearer
     * tokens only: knowing neither the request's method and URL nor its DPoP header, it cannot check a DPoP proof, so
     * a DPoP-bound token is refused. {@link #authorize(ResourceRequest, AccessRule)} takes both kinds.
     */
    public Decision authorize(String authorizationHeader, AccessRule rule) {
        return decisions.decide(null, authorizationHeader, Objects.requireNonNull(rule, "rule"));
    }

    /** The decision for {@code request}: a Bearer token, or a DPoP-bound token with its proof (RFC 9449 section 7). */
    public Decision authorize(ResourceRequest request, AccessRule rule) {
        return decisions.decide(Objects.requireNonNull(request, "request"), request.authorization(), Objects.requireNonNull(rule, "rule"));
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
        private Duration dpopProofWindow = Duration.ofSeconds(60);
        private int dpopReplayCacheSize = 100_000;
        private URI publicBaseUrl;

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

        /**
         * How far a DPoP proof's iat may be from now, either way; 60 s by default, between 1 s and 5 min. Proofs are
         * remembered (to refuse replays) for twice as long.
         */
        public Builder dpopProofWindow(Duration window) {
            if (window.toSeconds() < 1 || window.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("the DPoP proof window must be between 1 second and 5 minutes");
            }
            this.dpopProofWindow = window;
            return this;
        }

        /**
         * How many DPoP proofs this instance remembers at most, to refuse replays; 100,000 by default. When that many
         * live proofs are held, new ones get 503 with Retry-After rather than a proof being forgotten early.
         */
        public Builder dpopReplayCacheSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("the DPoP replay cache must hold at least one proof");
            }
            this.dpopReplayCacheSize = size;
            return this;
        }

        /**
         * The scheme, host and port clients call this API at, e.g. {@code https://api.example.com}, when a proxy in front
         * of it changes them: DPoP proofs name that URL, not the one the API's own server sees. The path stays the request's.
         */
        public Builder publicBaseUrl(String url) {
            URI parsed = URI.create(url);
            if (parsed.getScheme() == null || parsed.getHost() == null || !(parsed.getRawPath() == null
                    || parsed.getRawPath().isEmpty() || parsed.getRawPath().equals("/")) || parsed.getRawQuery() != null) {
                throw new IllegalArgumentException("the public base URL is a scheme, host and optional port, e.g. "
                        + "https://api.example.com");
            }
            this.publicBaseUrl = parsed;
            return this;
        }

        /** The clock exp, nbf and DPoP proofs' iat are compared with. */
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
            DpopProofChecks proofs = new DpopProofChecks(dpopProofWindow, dpopReplayCacheSize, publicBaseUrl, clock);
            return new ResourceServer(checks, new RequestDecisions(checks, proofs, realm != null ? realm : audience,
                    (int) Math.max(1, refetchInterval.toSeconds())));
        }
    }
}
