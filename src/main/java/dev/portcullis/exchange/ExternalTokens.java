package dev.portcullis.exchange;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.protocol.OAuthException;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Validates a token from a registered identity provider: an accepted asymmetric algorithm, {@code iss}
 * exactly the registration's (both checked before any key is fetched), the signature by one of the
 * provider's keys, {@code aud} containing an accepted audience, and {@code exp}, {@code nbf} and
 * {@code iat} within {@link #CLOCK_SKEW_SECONDS}. Each refusal is RFC 8693's invalid_request, saying what failed.
 */
final class ExternalTokens {

    static final int CLOCK_SKEW_SECONDS = 60;

    private final ProviderKeys keys;
    private final Clock clock;

    ExternalTokens(ProviderKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    JWTClaimsSet validate(IdentityProvider provider, String token) {
        String registration = "registration '" + provider.registrationId() + "' (" + provider.name() + ")";
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidRequest("subject_token is not a signed JWT");
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!provider.jwsAlgorithms().contains(algorithm)) {
            throw OAuthException.invalidRequest("subject_token is signed with " + algorithm + ", which " + registration
                    + " does not accept (accepted: " + String.join(", ", provider.algorithms()) + ")");
        }
        if (!provider.issuer().equals(unverified.getIssuer())) {
            throw OAuthException.invalidRequest("subject_token was issued by '" + unverified.getIssuer() + "', not by "
                    + registration + "'s issuer '" + provider.issuer() + "'");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // Providers type their tokens differently (JWT, at+jwt, vendor types, none); the audience is what tells them apart.
        processor.setJWSTypeVerifier((type, context) -> { });
        // mutable sets: Nimbus asks them whether they contain null, which immutable sets answer by throwing
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(new HashSet<>(provider.audiences()),
                new JWTClaimsSet.Builder().issuer(provider.issuer()).build(),
                new HashSet<>(Set.of("exp", provider.userClaim().claim())), new HashSet<>()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        try {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(provider.jwsAlgorithms(), keys.source(provider)));
            JWTClaimsSet verified = processor.process(jwt, null);
            checkIssuedAt(verified);
            return verified;
        } catch (RateLimitReachedException e) {
            throw OAuthException.invalidRequest("no key of " + registration + " matches the subject_token's key id '"
                    + jwt.getHeader().getKeyID() + "', and its keys were fetched too recently to fetch them again; "
                    + "retry in " + ProviderKeys.REFETCH_WINDOW_MILLIS / 1000 + " seconds");
        } catch (KeySourceException e) {
            throw OAuthException.invalidRequest("the signing keys of " + registration + " could not be fetched, so the "
                    + "subject_token cannot be checked; try again later or check the registration (" + e.getMessage() + ")");
        } catch (BadJWSException e) {
            throw OAuthException.invalidRequest("subject_token's signature does not verify with " + registration + "'s keys");
        } catch (BadJWTException e) {
            throw OAuthException.invalidRequest(claimProblem(e.getMessage(), provider));
        } catch (BadJOSEException e) {
            throw OAuthException.invalidRequest("no key of " + registration + " matches the subject_token (key id '"
                    + jwt.getHeader().getKeyID() + "', algorithm " + algorithm + ")");
        } catch (JOSEException e) {
            throw OAuthException.invalidRequest("subject_token could not be verified: " + e.getMessage());
        }
    }

    /** Nimbus checks exp and nbf; a token claiming to be issued in the future is as suspect. */
    private void checkIssuedAt(JWTClaimsSet claims) {
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && issuedAt.toInstant().isAfter(clock.instant().plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw OAuthException.invalidRequest("subject_token's iat is in the future (more than " + CLOCK_SKEW_SECONDS
                    + " s of clock skew)");
        }
    }

    private static String claimProblem(String nimbusMessage, IdentityProvider provider) {
        String message = nimbusMessage == null ? "" : nimbusMessage.toLowerCase(Locale.ROOT);
        if (message.contains("expired")) {
            return "subject_token has expired";
        }
        if (message.contains("before use time")) {
            return "subject_token is not valid yet (nbf is in the future)";
        }
        if (message.contains("audience")) {
            return "subject_token's aud does not contain an audience registration '" + provider.registrationId()
                    + "' accepts (" + String.join(", ", provider.audiences()) + ")";
        }
        if (message.contains("missing required claims")) {
            Set<String> required = new HashSet<>(Set.of("exp", provider.userClaim().claim()));
            return "subject_token lacks a required claim (" + String.join(", ", required) + "); registration '"
                    + provider.registrationId() + "' matches users by '" + provider.userClaim().claim() + "'";
        }
        return "subject_token is invalid: " + nimbusMessage;
    }
}
