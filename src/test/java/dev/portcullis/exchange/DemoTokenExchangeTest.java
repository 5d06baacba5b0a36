package dev.portcullis.exchange;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Token Exchange demo, request for request: the demo tenant's registration of the
 * DEMOIDP tenant, found through its metadata on the same server. The demo file assumes port 8080;
 * the test serves it on a free port with the file's addresses moved there.
 */
class DemoTokenExchangeTest {

    @Test
    void theReadmeDemoExchangesADemoIdpTokenForATokenOfPa() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        String demo = Files.readString(Path.of("examples/demo-tenants.yaml")).replace("http://127.0.0.1:8080", base);
        try (TestServer server = TestServer.start(StoreKind.SQLITE, demo, Map.of("port", String.valueOf(port), "api_url", base))) {
            HttpResponse<String> idp = server.postForm("/system/auth/DEMOIDP-C/oauth2/token", form("grant_type", "password",
                    "client_id", "demo-idp-app", "client_secret", "demo-idp-secret-do-not-use-in-production",
                    "scope", "profile.read", "subject_email", "pa@example.com"));
            String idpToken = OAuthResponses.json(idp).path("access_token").asText();

            HttpResponse<String> exchanged = server.postForm("/system/auth/TMPRODB88619984-U/oauth2/token", form(
                    "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                    "client_id", "7121f585-e403-4531-9a38-1826ebc7e7d8",
                    "client_secret", "demo-secret-7121f585-do-not-use-in-production",
                    "subject_token", idpToken,
                    "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                    "registration_id", "demo-idp",
                    "scope", "knowledge.portalmgr.read"));
            JWTClaimsSet claims = assertToken(exchanged).getJWTClaimsSet();
            assertThat(claims.getSubject()).isEqualTo("1001");
            assertThat(claims.getStringClaim("username")).isEqualTo("pa");
            assertThat(claims.getStringClaim("idp")).isEqualTo("demo-idp");
            assertThat(claims.getStringClaim("scope")).isEqualTo("knowledge.portalmgr.read");
            assertThat(OAuthResponses.json(exchanged).path("issued_token_type").asText())
                    .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        }
    }
}
