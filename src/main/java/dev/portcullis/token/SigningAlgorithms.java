package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JWS algorithms a tenant may sign with. EdDSA is named as RFC 8037 does ({@code EdDSA}, on
 * Ed25519 keys), since that is the name resource servers' libraries know; the newer fully specified
 * {@code Ed25519} name is not yet widely accepted.
 */
public final class SigningAlgorithms {

    public static final List<JWSAlgorithm> SUPPORTED = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256,
            JWSAlgorithm.EdDSA);
    public static final Set<JWSAlgorithm> SUPPORTED_SET = Set.copyOf(SUPPORTED);

    private SigningAlgorithms() {
    }

    /** The supported algorithm of that exact name (JOSE names are case-sensitive). */
    public static Optional<JWSAlgorithm> parse(String name) {
        return SUPPORTED.stream().filter(alg -> alg.getName().equals(name)).findFirst();
    }

    public static JWSAlgorithm require(String name, String what) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException(what + " must be one of " + names() + ", not '" + name + "'"));
    }

    public static String names() {
        return String.join(", ", SUPPORTED.stream().map(JWSAlgorithm::getName).toList());
    }
}
