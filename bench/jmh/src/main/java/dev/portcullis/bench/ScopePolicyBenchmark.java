package dev.portcullis.bench;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.grant.ScopePolicy;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** ScopePolicy.check on the cached tenant and client: two on-behalf-of scopes, or one application scope. */
@State(Scope.Thread)
public class ScopePolicyBenchmark {

    private Fixture fixture;
    private Tenant tenant;
    private ClientApplication client;
    private final ScopeSet oboScopes = ScopeSet.parse(Fixture.OBO_SCOPE);
    private final ScopeSet ccScopes = ScopeSet.parse(Fixture.CC_SCOPE);

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new Fixture(JWSAlgorithm.ES256);
        tenant = fixture.realm().tenant();
        client = fixture.client();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public ScopeSet checkOnBehalfOf() {
        ScopePolicy.check(tenant, client, oboScopes, ScopeKind.ON_BEHALF_OF, "grant_type=password (On-Behalf-Of)");
        return oboScopes;
    }

    @Benchmark
    public ScopeSet checkClientCredentials() {
        ScopePolicy.check(tenant, client, ccScopes, ScopeKind.APPLICATION, "grant_type=client_credentials");
        return ccScopes;
    }
}
