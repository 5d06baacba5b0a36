package dev.portcullis.bench;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.token.TokenGrant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Optional;

/**
 * Everything the token endpoint does before signing, per grant: resolve the realm (cached),
 * parse the form, dispatch on grant_type, parse credentials and the grant request,
 * authenticate the client, check scopes and (OBO) look up the subject (cached).
 * Compare with TokenPipeline*: the difference is AccessTokenIssuer.issue.
 */
@State(Scope.Thread)
public class GrantDecisionBenchmark {

    private Fixture fixture;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture(JWSAlgorithm.ES256);
        fixture.decide(Fixture.OBO_BODY, Optional.empty());
        fixture.decide(Fixture.CC_BODY, Optional.empty());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public TokenGrant onBehalfOf() {
        return fixture.decide(Fixture.OBO_BODY, Optional.empty());
    }

    @Benchmark
    public TokenGrant clientCredentials() {
        return fixture.decide(Fixture.CC_BODY, Optional.empty());
    }
}
