package dev.portcullis.dpop;

import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.resourceserver.AccessRule;
import dev.portcullis.resourceserver.ActorType;
import dev.portcullis.resourceserver.Decision;
import dev.portcullis.resourceserver.ResourceRequest;
import dev.portcullis.resourceserver.ResourceServer;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource-server library takes a DPoP-bound token Portcullis issued, with a proof Nimbus' client-side factory
 * made, and refuses the same token as a Bearer token: the server's cnf and the library's checks agree.
 */
class DpopLibraryAgainstPortcullisTest {

    private static final String API_URL = "https://api.example.test";
    private static final String ARTICLES = API_URL + "/api/v1/articles";
    private static final AccessRule MANAGE = AccessRule.allow(ActorType.CLIENT_APP, DpopClient.APP);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, DpopClient.YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPortcullisDpopTokenPassesTheLibraryOnlyWithItsProof() {
        DpopClient client = new DpopClient(server);
        ECKey key = DpopClient.newKey();
        String token = DpopClient.field(client.clientCredentials(client.proof(key)), "access_token");
        ResourceServer api = ResourceServer.builder().trustIssuer(server.baseUrl() + DpopClient.USERS).audience(API_URL).build();

        Decision proven = api.authorize(ResourceRequest.of("POST", ARTICLES, "DPoP " + token,
                List.of(DpopClient.proof(key, "POST", ARTICLES, new Date(), token, null))), MANAGE);
        assertThat(proven).as("%s", proven).isInstanceOf(Decision.Allowed.class);
        assertThat(((Decision.Allowed) proven).token().dpopThumbprint()).contains(DpopClient.thumbprint(key));

        Decision asBearer = api.authorize(ResourceRequest.of("POST", ARTICLES, "Bearer " + token, List.of()), MANAGE);
        assertThat(asBearer).isInstanceOf(Decision.Refused.class);
        assertThat(((Decision.Refused) asBearer).wwwAuthenticate()).startsWith("DPoP ").contains("invalid_token");
    }
}
