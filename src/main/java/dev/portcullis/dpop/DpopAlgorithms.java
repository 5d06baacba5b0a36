package dev.portcullis.dpop;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The algorithms a DPoP proof may be signed with: asymmetric only (RFC 9449 section 4.2 forbids none and
 * MAC algorithms), and only those Nimbus' DPoP verifiers check, its RSA and EC families. ES256K is left out
 * because Java 17 has no secp256k1 curve; EdDSA because Nimbus' DPoP key selector takes no OKP key.
 */
public final class DpopAlgorithms {

    /** What the metadata advertises as {@code dpop_signing_alg_values_supported}, most common first. */
    public static final List<JWSAlgorithm> SUPPORTED = List.of(
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    static final Set<JWSAlgorithm> SET = Set.copyOf(new LinkedHashSet<>(SUPPORTED));

    private DpopAlgorithms() {
    }

    /** The names, for metadata and challenges. */
    public static List<String> names() {
        return SUPPORTED.stream().map(JWSAlgorithm::getName).toList();
    }

    /** The names space-separated, as the {@code algs} parameter of a DPoP challenge (RFC 9449 section 7.1). */
    public static String spaceSeparated() {
        return SUPPORTED.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(" "));
    }
}
