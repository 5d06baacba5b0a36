package dev.portcullis.protectedapi;

import dev.portcullis.examples.articles.ArticlesApi;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start end to end: the demo tenant on a real server, the example API trusting its user
 * realm, the seed's On-Behalf-Of request for a token, and the API's answers to that token, to none, to a
 * malformed one, to one of the wrong actor type and to one of a realm it does not trust.
 */
class ArticlesApiExampleTest {

    private static final String DEMO = "/system/auth/TMPRODB88619984";
    private static final String CLIENT = "7121f585-e403-4531-9a38-1826ebc7e7d8";
    private static final String SECRET = "demo-secret-7121f585-do-not-use-in-production";

    private static TestServer server;
    private static Javalin api;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(StoreKind.SQLITE, Files.readString(Path.of("examples/demo-tenants.yaml")));
        api = ArticlesApi.start(server.baseUrl() + DEMO + "-U", ApiTenants.API_URL, 0);
    }

    @AfterAll
    static void stop() {
        api.stop();
        server.close();
    }

    private static HttpResponse<String> articles(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/v1/articles"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request.build());
    }

    /** The README's seed request: On-Behalf-Of the demo user pa. */
    private static String seedOnBehalfOfToken(String realm, String subjectField, String subject) {
        return assertToken(server.postForm(DEMO + realm + "/oauth2/token", form("grant_type", "password", "client_id", CLIENT,
                "client_secret", SECRET, "scope", "knowledge.portalmgr.onbehalfof.read", subjectField, subject))).serialize();
    }

    @Test
    void theSeedsOnBehalfOfTokenReadsTheArticles() {
        HttpResponse<String> response = articles("Bearer " + seedOnBehalfOfToken("-U", "subject_username", "pa"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"actor_type\":\"client_on_behalf_of_user\"", "\"sub\":\"1001\"", "Resetting your password");
    }

    @Test
    void aSignedInUserWithTheDelegatedScopeReadsThemToo() {
        String authorize = DEMO + "-U/oauth2/authorize?" + TestServer.encode(form("client_id", "b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f",
                "response_type", "code", "redirect_uri", "https://oauth.pstmn.io/v1/callback", "scope", "knowledge.portalmgr.read",
                "state", "s", "code_challenge", dev.portcullis.grant.Pkce.s256(ApiTenants.VERIFIER), "code_challenge_method", "S256"));
        HttpResponse<String> redirect = SignInFlow.signIn(new BrowserClient(server.baseUrl()), authorize, "username", "pa",
                "demo-password-pa");
        String token = assertToken(server.postForm(DEMO + "-U/oauth2/token", form("grant_type", "authorization_code",
                "code", BrowserClient.redirectParams(redirect).get("code"), "redirect_uri", "https://oauth.pstmn.io/v1/callback",
                "client_id", "b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f", "code_verifier", ApiTenants.VERIFIER))).serialize();
        HttpResponse<String> response = articles("Bearer " + token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"actor_type\":\"user\"");
    }

    @Test
    void theSeedRequestWithADpopProofGetsATokenTheApiTakesOnlyWithItsProof() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
        com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory proofs =
                new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(key, com.nimbusds.jose.JWSAlgorithm.ES256);
        URI tokenUrl = URI.create(server.baseUrl() + DEMO + "-U/oauth2/token");
        HttpResponse<String> issued = server.postForm(DEMO + "-U/oauth2/token", form("grant_type", "password", "client_id", CLIENT,
                "client_secret", SECRET, "scope", "knowledge.portalmgr.onbehalfof.read", "subject_username", "pa"),
                java.util.Map.of("DPoP", proofs.createDPoPJWT("POST", tokenUrl).serialize()));
        assertThat(issued.body()).contains("\"token_type\":\"DPoP\"");
        String token = dev.portcullis.testing.OAuthResponses.json(issued).path("access_token").asText();

        URI articles = URI.create("http://127.0.0.1:" + api.port() + "/api/v1/articles");
        HttpResponse<String> proven = server.send(HttpRequest.newBuilder(articles).header("Authorization", "DPoP " + token)
                .header("DPoP", proofs.createDPoPJWT("GET", articles, new com.nimbusds.oauth2.sdk.token.DPoPAccessToken(token))
                        .serialize()).build());
        assertThat(proven.statusCode()).as(proven.body()).isEqualTo(200);
        HttpResponse<String> asBearer = articles("Bearer " + token);
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("DPoP ")
                .contains("error=\"invalid_token\"", "DPoP-bound");
    }

    @Test
    void withoutATokenTheApiAsksForOne() {
        HttpResponse<String> response = articles(null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"" + ApiTenants.API_URL + "\"");
    }

    @Test
    void aTokenThatIsNotOneIsInvalid() {
        HttpResponse<String> response = articles("Bearer not.a.token");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"", "error_description=\"the access token is not a signed JWT\"");
    }

    @Test
    void anApplicationTokenIsTheWrongActorType() {
        String appToken = assertToken(server.postForm(DEMO + "-U/oauth2/token", form("grant_type", "client_credentials",
                "client_id", CLIENT, "client_secret", SECRET, "scope", "app.knowledge.contentmgr.manage"))).serialize();
        HttpResponse<String> response = articles("Bearer " + appToken);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"",
                "actor type client_app may not call this operation");
    }

    @Test
    void aCustomerRealmTokenIsFromAnIssuerTheApiDoesNotTrust() {
        HttpResponse<String> response = articles("Bearer " + seedOnBehalfOfToken("-C", "subject_email", "jane@example.com"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("is not trusted");
    }
}
