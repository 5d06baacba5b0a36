package dev.portcullis.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;

/**
 * Signs what a fuzzer wrote, so fuzzed JWTs get past the signature to the checks behind it. An input of two lines is
 * a JOSE header and a claims set in JSON; {@value #PUBLIC_JWK} in the header stands for the public key and
 * {@value #NOW} in the claims for the current time, so a seed stays valid from run to run. The signature is always
 * ES256 by one fixed key, whatever the header claims.
 */
public final class FuzzSigner {

    /** Test-only P-256 key, made for these fuzz tests. */
    private static final String PRIVATE_JWK = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"x-QYQZOfw310Aojmzh-jCCswuBjmpQMsgKkZp-zw6fc\","
            + "\"y\":\"LRBnjrRPiHeQ4MaXI65yKD6WlxLQo56m6J5UzSenL14\",\"d\":\"gWhg4iRQ42KhOuyBmWia1R_Fz5wAP3igS0pmDM3NRaw\"}";
    public static final String PUBLIC_JWK = "$JWK";
    public static final String NOW = "$NOW";
    public static final ECKey KEY;

    static {
        try {
            KEY = ECKey.parse(PRIVATE_JWK);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private FuzzSigner() {
    }

    /** The compact JWS for an input of a header line and a claims line, at {@code now}; empty for any other input. */
    public static Optional<String> signed(String input, long now) {
        int newline = input.indexOf('\n');
        if (newline < 0) {
            return Optional.empty();
        }
        String header = input.substring(0, newline).replace(PUBLIC_JWK, KEY.toPublicJWK().toJSONString());
        String claims = input.substring(newline + 1).replace(NOW, Long.toString(now));
        String signingInput = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Base64URL signature = new ECDSASigner(KEY).sign(new JWSHeader(JWSAlgorithm.ES256),
                    signingInput.getBytes(StandardCharsets.US_ASCII));
            return Optional.of(signingInput + "." + signature);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's RFC 7638 thumbprint. */
    public static String thumbprint() {
        try {
            return KEY.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
