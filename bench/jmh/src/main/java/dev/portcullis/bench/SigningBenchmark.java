package dev.portcullis.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.token.AccessTokenIssuer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Signing only, with the provider chosen explicitly per @Param (not through CryptoProviders, so
 * both providers run in the same kind of JVM): ACCP is AmazonCorrettoCryptoProvider.INSTANCE,
 * JDK is SunRsaSign for RSA and SunEC for EC. As SigningKeys does, the private key is imported
 * once through the provider's own KeyFactory.
 */
@State(Scope.Thread)
public class SigningBenchmark {

    @Param({"RS256", "ES256"})
    public String alg;

    @Param({"ACCP", "JDK"})
    public String provider;

    private JWSHeader header;
    private JWTClaimsSet claims;
    private JWSSigner signer;
    private Signature rawSignature;
    private byte[] signingInput;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        boolean rsa = algorithm.equals(JWSAlgorithm.RS256);
        Provider jca = provider(provider, rsa);
        String kid = UUID.randomUUID().toString();
        JWK jwk = rsa ? new RSAKeyGenerator(2048).keyID(kid).generate() : new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        PrivateKey privateKey = KeyFactory.getInstance(rsa ? "RSA" : "EC", jca)
                .generatePrivate(new PKCS8EncodedKeySpec(rsa ? jwk.toRSAKey().toPrivateKey().getEncoded()
                        : jwk.toECKey().toPrivateKey().getEncoded()));
        signer = rsa ? new RSASSASigner(privateKey) : new ECDSASigner(privateKey, Curve.P_256);
        signer.getJCAContext().setProvider(jca);

        long now = System.currentTimeMillis() / 1000;
        header = new JWSHeader.Builder(algorithm).type(AccessTokenIssuer.AT_JWT).keyID(kid).build();
        // The claims of an On-Behalf-Of token as AccessTokenIssuer writes them.
        claims = new JWTClaimsSet.Builder()
                .issuer("https://auth.example.com/system/auth/" + Fixture.REALM_ID)
                .subject("1001")
                .audience("https://api.example.com")
                .expirationTime(new Date((now + 3600) * 1000))
                .issueTime(new Date(now * 1000))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", Fixture.CLIENT_ID)
                .claim("scope", Fixture.OBO_SCOPE)
                .claim("tenant", Fixture.TENANT)
                .claim("actor_type", "client_on_behalf_of_user")
                .claim("username", "pa")
                .claim("act", Map.of("sub", Fixture.CLIENT_ID))
                .build();

        rawSignature = Signature.getInstance(rsa ? "SHA256withRSA" : "SHA256withECDSA", jca);
        rawSignature.initSign(privateKey);
        signingInput = new SignedJWT(header, claims).getSigningInput();

        // Self-check: the token verifies, and the signature really came from the provider asked for.
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        boolean valid = rsa ? jwt.verify(new RSASSAVerifier(jwk.toRSAKey().toPublicJWK()))
                : jwt.verify(new ECDSAVerifier(jwk.toECKey().toPublicJWK()));
        if (!valid) {
            throw new IllegalStateException(alg + " signature from " + jca.getName() + " does not verify");
        }
        if (rawSignature.getProvider() != jca || privateKey.getClass().getName().startsWith("com.amazon") != (jca instanceof AmazonCorrettoCryptoProvider)) {
            throw new IllegalStateException("signing is not running on " + jca.getName());
        }
    }

    static Provider provider(String name, boolean rsa) {
        if (name.equals("ACCP")) {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                throw new IllegalStateException("ACCP did not load: " + accp.getLoadingError(), accp.getLoadingError());
            }
            accp.assertHealthy();
            return accp;
        }
        Provider jdk = Security.getProvider(rsa ? "SunRsaSign" : "SunEC");
        if (jdk == null) {
            throw new IllegalStateException("JDK provider missing");
        }
        return jdk;
    }

    /** What AccessTokenIssuer does after building the claims: header + claims to JSON/base64url, sign, serialize. */
    @Benchmark
    public String nimbusSignAndSerialize() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** The bare primitive over a fixed signing input, reusing one initialised java.security.Signature. */
    @Benchmark
    public byte[] rawSignature() throws Exception {
        rawSignature.update(signingInput);
        return rawSignature.sign();
    }

}
