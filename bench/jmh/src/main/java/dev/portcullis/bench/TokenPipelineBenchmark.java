package dev.portcullis.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.token.CryptoProviders;
import dev.portcullis.token.IssuedToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Optional;

/**
 * The full token path per grant, without HTTP: {@link Fixture#decide} (realm, form, credentials,
 * grant request, client authentication, scope check, subject lookup) then
 * AccessTokenIssuer.issue (claims, JWT serialization, signature), signed by the server's own
 * SigningKeys. CryptoProviders picks the provider once per JVM, so each provider is a concrete
 * subclass whose @Fork sets -Dportcullis.disableAccp; setUp refuses to run if the JVM ended up
 * on the other provider (e.g. -f 0, an overriding -jvmArgsAppend, or PORTCULLIS_ACCP=false).
 */
@State(Scope.Thread)
public abstract class TokenPipelineBenchmark {

    @Param({"RS256", "ES256"})
    public String alg;

    private Fixture fixture;

    /** The provider name CryptoProviders must report in this fork. */
    protected abstract String expectedProvider();

    @Setup(Level.Trial)
    public void setUp() {
        String actual = CryptoProviders.signingProviderName();
        if (!actual.equals(expectedProvider())) {
            throw new IllegalStateException(getClass().getSimpleName() + " must sign with " + expectedProvider()
                    + " but this JVM signs with " + actual + " (portcullis.disableAccp="
                    + System.getProperty("portcullis.disableAccp") + ", PORTCULLIS_ACCP=" + System.getenv("PORTCULLIS_ACCP") + ")");
        }
        fixture = new Fixture(JWSAlgorithm.parse(alg));
        fixture.warm();
        com.nimbusds.jose.JWSSigner signer = fixture.keys.activeKey(Fixture.TENANT).signer();
        Object signingProvider = signer instanceof com.nimbusds.jose.crypto.RSASSASigner rsa ? rsa.getJCAContext().getProvider()
                : ((com.nimbusds.jose.crypto.ECDSASigner) signer).getJCAContext().getProvider();
        if ((signingProvider instanceof AmazonCorrettoCryptoProvider) != expectedProvider().equals(ACCP)) {
            throw new IllegalStateException("the tenant's signer is bound to " + signingProvider);
        }
    }

    static final String ACCP = "AmazonCorrettoCryptoProvider";

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public IssuedToken onBehalfOf() {
        return fixture.token(Fixture.OBO_BODY, Optional.empty());
    }

    @Benchmark
    public IssuedToken clientCredentials() {
        return fixture.token(Fixture.CC_BODY, Optional.empty());
    }
}
