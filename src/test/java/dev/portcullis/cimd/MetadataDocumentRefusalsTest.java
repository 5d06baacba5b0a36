package dev.portcullis.cimd;

import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.LoopbackHttpsServer;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;

import static dev.portcullis.cimd.MetadataDocumentFixture.*;
import static dev.portcullis.testing.LoopbackHttpsServer.respond;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client ids that name a document this server will not use, end to end: each is invalid_client at the token endpoint
 * (with the reason) and an error page, never a redirect, at the authorize endpoint; refused URLs are never fetched.
 * The tenant's switch and allow-list, and the server's loopback switch, decide before anything is fetched.
 */
class MetadataDocumentRefusalsTest {

    private static final MetadataDocumentFixture FIXTURE = new MetadataDocumentFixture();
    private static final LoopbackHttpsServer DOCUMENTS = FIXTURE.documents;

    static {
        DOCUMENTS.json("/bad/other-id.json", "{\"client_id\":\"" + DOCUMENTS.url("/bad/someone-else.json")
                + "\",\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
        DOCUMENTS.json("/bad/markup-id.json", "{\"client_id\":\"<script>alert(1)</script>\",\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
        DOCUMENTS.json("/bad/secret.json", "{\"client_id\":\"" + DOCUMENTS.url("/bad/secret.json")
                + "\",\"client_secret\":\"shared-0123456789\",\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
        DOCUMENTS.json("/bad/basic.json", "{\"client_id\":\"" + DOCUMENTS.url("/bad/basic.json")
                + "\",\"token_endpoint_auth_method\":\"client_secret_basic\",\"redirect_uris\":[\"http://127.0.0.1/callback\"]}");
        DOCUMENTS.json("/bad/no-redirects.json", "{\"client_id\":\"" + DOCUMENTS.url("/bad/no-redirects.json") + "\"}");
        DOCUMENTS.json("/bad/large.json", "{\"client_id\":\"" + DOCUMENTS.url("/bad/large.json")
                + "\",\"redirect_uris\":[\"http://127.0.0.1/callback\"],\"padding\":\"" + "x".repeat(6 * 1024) + "\"}");
        DOCUMENTS.on("/bad/html.json", respond(200, "text/html", "<html>not a document</html>"));
        DOCUMENTS.on("/bad/gone.json", respond(410, "application/json", "{}"));
        DOCUMENTS.on("/bad/moved.json", respond(302, null, "", "Location", DOCUMENTS.url("/clients/desktop.json")));
        DOCUMENTS.on("/bad/slow.json", DOCUMENTS.silent());
    }

    @AfterAll
    static void stop() {
        FIXTURE.close();
    }

    private static void assertRefused(TestServer server, String clientId, String... reason) {
        String[] fragments = new String[reason.length + 1];
        fragments[0] = clientId;
        System.arraycopy(reason, 0, fragments, 1, reason.length);
        assertError(redeemMadeUpCode(server, USERS, clientId), 400, "invalid_client", fragments);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void documentsThatCannotDescribeAPublicClientAreRefusedWithTheirReason(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        assertRefused(server, DOCUMENTS.url("/bad/other-id.json"), "not its own URL");
        assertRefused(server, DOCUMENTS.url("/bad/secret.json"), "client_secret", "public");
        assertRefused(server, DOCUMENTS.url("/bad/basic.json"), "client_secret_basic", "must be none");
        assertRefused(server, DOCUMENTS.url("/bad/no-redirects.json"), "no redirect_uris");
        assertRefused(server, DOCUMENTS.url("/bad/large.json"), "larger than 5 KiB");
        assertRefused(server, DOCUMENTS.url("/bad/html.json"), "text/html", "not as JSON");
        assertRefused(server, DOCUMENTS.url("/bad/gone.json"), "HTTP 410", "not 200");
        assertRefused(server, DOCUMENTS.url("/bad/missing.json"), "HTTP 404");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRedirectIsNotFollowedEvenToAGoodDocument(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        int before = DOCUMENTS.hits("/clients/desktop.json");
        assertRefused(server, DOCUMENTS.url("/bad/moved.json"), "HTTP 302", "not followed");
        assertThat(DOCUMENTS.hits("/clients/desktop.json")).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDocumentThatDoesNotArriveInTimeIsRefusedAndTheRequestDoesNotWaitForever(StoreKind store) {
        assertRefused(FIXTURE.server(store), DOCUMENTS.url("/bad/slow.json"), "could not be fetched");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void urlsThatAreNotClientIdsAreRefusedBeforeAnyFetch(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        int before = DOCUMENTS.totalHits();
        String good = DOCUMENTS.url("/clients/desktop.json");
        assertRefused(server, good + "#fragment", "fragment");
        assertRefused(server, good.replace("https://", "https://user@"), "user name or password");
        assertRefused(server, good.replace("https://", "https://user:pass@"), "user name or password");
        assertRefused(server, good.replace("https://", "http://"), "https URL");
        assertRefused(server, good + "?v=2", "query string");
        assertRefused(server, "https://127.0.0.1:" + DOCUMENTS.port(), "path");
        assertRefused(server, good.replace("/clients/", "/clients/../clients/"), "'.' or '..'");
        assertRefused(server, "urn:example:client", "https URL");
        assertThat(DOCUMENTS.totalHits()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theAuthorizePageShowsTheReasonAsTextAndRedirectsNowhere(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        BrowserClient browser = new BrowserClient(server.baseUrl());
        HttpResponse<String> page = browser.get(authorizePath(USERS, authorizeParams(DOCUMENTS.url("/bad/markup-id.json"),
                LOOPBACK_REDIRECT, READ, "s-bad")));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).contains("not its own URL").contains("&lt;script&gt;").doesNotContain("<script>alert(1)");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTenantWithDocumentsOffKnowsNoSuchClientAndFetchesNothing(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        int before = DOCUMENTS.totalHits();
        String realm = "/system/auth/" + OFF + "-U";
        assertError(redeemMadeUpCode(server, realm, FIXTURE.loopbackClient()), 400, "invalid_client",
                "unknown client_id", "does not accept client ID metadata documents");
        HttpResponse<String> page = new BrowserClient(server.baseUrl()).get(authorizePath(realm,
                authorizeParams(FIXTURE.loopbackClient(), LOOPBACK_REDIRECT, READ, "s-off")));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("does not accept client ID metadata documents");
        assertThat(DOCUMENTS.totalHits()).isEqualTo(before);
    }

    /**
     * The tenant lists only localhost. Each bypass reported against trusted-host checks (a suffix, user info in front
     * of another host, a different case, a trailing dot, another host altogether) is refused without a fetch.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theAllowListAdmitsItsHostsExactlyAndNothingThatMerelyLooksLikeThem(StoreKind store) {
        TestServer server = FIXTURE.server(store);
        String realm = "/system/auth/" + LISTED + "-U";
        int port = DOCUMENTS.port();
        assertError(redeemMadeUpCode(server, realm, DOCUMENTS.localhostUrl("/clients/local.json")), 400, "invalid_grant");
        int before = DOCUMENTS.totalHits();
        assertError(redeemMadeUpCode(server, realm, FIXTURE.loopbackClient()), 400, "invalid_client",
                "127.0.0.1 is not one");
        assertError(redeemMadeUpCode(server, realm, "https://localhost.evil.example:" + port + "/clients/local.json"), 400,
                "invalid_client", "localhost.evil.example is not one");
        assertError(redeemMadeUpCode(server, realm, "https://localhost@127.0.0.1:" + port + "/clients/desktop.json"), 400,
                "invalid_client", "user name or password");
        assertError(redeemMadeUpCode(server, realm, "https://LOCALHOST:" + port + "/clients/local.json"), 400,
                "invalid_client", "lowercase");
        assertError(redeemMadeUpCode(server, realm, "https://localhost.:" + port + "/clients/local.json"), 400,
                "invalid_client", "trailing dot");
        assertError(redeemMadeUpCode(server, realm, "https://evil.example/localhost/clients/local.json"), 400,
                "invalid_client", "evil.example is not one");
        assertThat(DOCUMENTS.totalHits()).isEqualTo(before);
    }

    /** Without the test-only switch, loopback is refused after resolution, by literal and by name, and nothing is sent. */
    @Test
    void withoutTheLoopbackSwitchDocumentsOnLoopbackAreRefused() {
        for (StoreKind store : StoreKind.values()) {
            try (TestServer server = TestServer.start(store, YAML)) {
                int before = DOCUMENTS.totalHits();
                assertError(redeemMadeUpCode(server, USERS, FIXTURE.loopbackClient()), 400, "invalid_client", "not public");
                assertError(redeemMadeUpCode(server, "/system/auth/" + LISTED + "-U", DOCUMENTS.localhostUrl("/clients/local.json")),
                        400, "invalid_client", "not public");
                assertThat(DOCUMENTS.totalHits()).as(store.name()).isEqualTo(before);
                assertThat(metadata(server, TENANT, "oauth").path("client_id_metadata_document_supported").booleanValue()).isTrue();
            }
        }
    }
}
