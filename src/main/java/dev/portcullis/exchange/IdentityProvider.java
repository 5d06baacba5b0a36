package dev.portcullis.exchange;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.tenant.RealmType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An external identity provider registered with one tenant and realm (eGain's "SSO Provider"): whose
 * tokens Token Exchange accepts, for which audiences and algorithms, and how their subject is matched.
 */
public record IdentityProvider(
        String tenantId,
        String registrationId,
        String name,
        RealmType realm,
        String issuer,
        Optional<String> jwksUri,
        List<String> audiences,
        List<String> algorithms,
        UserClaim userClaim,
        boolean allowPrivateNetwork) {

    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "PS256", "ES256");

    /**
     * Asymmetric JWS algorithms only: {@code none} would accept unsigned tokens, and an HMAC key would
     * have to be a secret shared with us, which a provider's public JWKS can never be.
     */
    public static final Set<String> ACCEPTABLE_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");

    public IdentityProvider {
        audiences = List.copyOf(audiences);
        algorithms = List.copyOf(algorithms);
    }

    public Set<JWSAlgorithm> jwsAlgorithms() {
        Set<JWSAlgorithm> parsed = new LinkedHashSet<>();
        for (String algorithm : algorithms) {
            if (ACCEPTABLE_ALGORITHMS.contains(algorithm)) {
                parsed.add(JWSAlgorithm.parse(algorithm));
            }
        }
        return parsed;
    }
}
