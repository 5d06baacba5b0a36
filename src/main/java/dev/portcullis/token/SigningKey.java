package dev.portcullis.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;

/** A tenant's active signing key, ready to sign: its public JWK and a signer bound to the chosen provider. */
public record SigningKey(String tenantId, String kid, JWSAlgorithm algorithm, JWK publicJwk, JWSSigner signer) {
}
