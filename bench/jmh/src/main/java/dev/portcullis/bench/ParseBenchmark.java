package dev.portcullis.bench;

import dev.portcullis.client.ClientCredentials;
import dev.portcullis.grant.ClientCredentialsRequest;
import dev.portcullis.grant.OnBehalfOfRequest;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Map;
import java.util.Optional;

/**
 * Request parsing, no I/O: the strict form decoder alone, and the whole parse step of the
 * token endpoint (form, client credentials, the grant's own request object).
 */
@State(Scope.Thread)
public class ParseBenchmark {

    /** Realm and tenant built directly; request parsing reads only the tenant id and realm type. */
    private final Realm realm = new Realm(new Tenant(Fixture.TENANT, "Demo partition", 3600, true, Map.of(), Tenant.RefreshPolicy.DEFAULT), RealmType.USER);

    @Benchmark
    public FormParameters formOnBehalfOf() {
        return FormParameters.parse(Fixture.OBO_BODY);
    }

    @Benchmark
    public FormParameters formClientCredentials() {
        return FormParameters.parse(Fixture.CC_BODY);
    }

    /** Form, client_secret_post credentials and the On-Behalf-Of request (scope set, subject lookup). */
    @Benchmark
    public void requestOnBehalfOf(Blackhole bh) {
        FormParameters form = FormParameters.parse(Fixture.OBO_BODY);
        bh.consume(ClientCredentials.parse(Optional.empty(), form, realm.id()));
        bh.consume(OnBehalfOfRequest.parse(form, realm));
    }

    /** Form, client_secret_basic credentials (base64 + percent-decoding) and the Client Credentials request. */
    @Benchmark
    public void requestClientCredentialsBasic(Blackhole bh) {
        FormParameters form = FormParameters.parse(Fixture.CC_BASIC_BODY);
        bh.consume(ClientCredentials.parse(Fixture.BASIC_HEADER, form, realm.id()));
        bh.consume(ClientCredentialsRequest.parse(form));
    }
}
