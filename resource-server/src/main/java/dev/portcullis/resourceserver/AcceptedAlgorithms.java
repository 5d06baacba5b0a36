package dev.portcullis.resourceserver;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The signature algorithms a resource server accepts. Only asymmetric ones: a token signed with a shared
 * secret (HS256) or unsigned ({@code none}) could be made by anyone holding, or guessing, the verification key.
 */
final class AcceptedAlgorithms {

    static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private AcceptedAlgorithms() {
    }

    /**
     * Portcullis' four signing algorithms; EdDSA only when Google Tink is on the class path, since Nimbus
     * verifies Ed25519 through Tink and would otherwise fail on the first EdDSA token rather than at start.
     */
    static Set<JWSAlgorithm> defaults(boolean tinkPresent) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256));
        if (tinkPresent) {
            algorithms.add(JWSAlgorithm.EdDSA);
        }
        return algorithms;
    }

    static Set<JWSAlgorithm> validated(Set<JWSAlgorithm> requested, boolean tinkPresent) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("accept at least one algorithm");
        }
        for (JWSAlgorithm algorithm : requested) {
            if (!SUPPORTED.contains(algorithm)) {
                throw new IllegalArgumentException(algorithm + " is not an asymmetric signature algorithm this library accepts");
            }
            if (algorithm.equals(JWSAlgorithm.EdDSA) && !tinkPresent) {
                throw new IllegalStateException("EdDSA needs com.google.crypto.tink:tink on the class path (Nimbus verifies "
                        + "Ed25519 with it)");
            }
        }
        return Set.copyOf(requested);
    }

    static boolean tinkPresent() {
        try {
            Class.forName("com.google.crypto.tink.subtle.Ed25519Verify", false, AcceptedAlgorithms.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
