package dev.portcullis.bench;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientCredentials;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.tenant.Realm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Optional;

/**
 * Client authentication of a web client whose record is already in the ClientDirectory cache:
 * a Caffeine lookup, SHA-256 of the presented secret and a constant-time compare per stored secret.
 */
@State(Scope.Thread)
public class ClientAuthBenchmark {

    private Fixture fixture;
    private Realm realm;
    private ClientCredentials credentials;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture(JWSAlgorithm.ES256);
        realm = fixture.realm();
        credentials = new ClientCredentials(Fixture.CLIENT_ID, Optional.of(Fixture.SECRET),
                ClientCredentials.Method.CLIENT_SECRET_POST);
        fixture.authenticator.authenticate(realm, credentials, "client_credentials", false); // fills the cache
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public ClientApplication authenticate() {
        return fixture.authenticator.authenticate(realm, credentials, "client_credentials", false);
    }

    /** The SHA-256 alone, for scale. */
    @Benchmark
    public byte[] sha256OfSecret() {
        return SecretHasher.hash(Fixture.SECRET);
    }
}
