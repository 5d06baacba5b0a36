package dev.portcullis.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.List;

import static dev.portcullis.testing.AcmeTenant.APP_CLIENT;
import static dev.portcullis.testing.AcmeTenant.APP_SECRET;
import static dev.portcullis.testing.AcmeTenant.C;
import static dev.portcullis.testing.AcmeTenant.OBO_CLIENT;
import static dev.portcullis.testing.AcmeTenant.OBO_SECRET;
import static dev.portcullis.testing.AcmeTenant.U;
import static dev.portcullis.testing.AcmeTenant.YAML;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static dev.portcullis.testing.OAuthResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

/** One audit line per issued token on {@code portcullis.audit}: who, for whom, what, by jti; never a token or secret. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogTest {

    /** A user whose id would break a naive log line. */
    private static final String TENANTS = YAML.replace("      - { id: \"1002\", username: bob, enabled: false }\n",
            "      - { id: \"1002\", username: bob, enabled: false }\n      - { id: \"evil\\\" grant=client_credentials\\nforged=1\", username: mallory }\n");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger audit;
    private TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(StoreKind.SQLITE, TENANTS);
        audit = (Logger) LoggerFactory.getLogger("portcullis.audit");
        appender.start();
        audit.addAppender(appender);
    }

    @AfterAll
    void stop() {
        audit.detachAppender(appender);
        server.close();
    }

    @BeforeEach
    void clear() {
        appender.list.clear();
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void anOnBehalfOfTokenIsAuditedOnceWithJtiClientAndSubject() throws Exception {
        HttpResponse<String> response = server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT,
                "client_secret", OBO_SECRET, "scope", "obo.read obo.write", "subject_username", "Alice"));
        JWTClaimsSet claims = assertToken(response).getJWTClaimsSet();

        assertThat(lines()).hasSize(1);
        String line = lines().get(0);
        assertThat(line).contains("jti=" + claims.getJWTID(), "client=" + OBO_CLIENT, "subject=1001", "tenant=ACME", "realm=U",
                "grant=password", "actor=client_on_behalf_of_user", "scopes=\"obo.read obo.write\"");
        assertThat(line).doesNotContain(OBO_SECRET, json(response).path("access_token").asText());
        assertThat(line).doesNotContain(json(response).path("access_token").asText().split("\\.")[2]);
        assertThat(appender.list.get(0).getLevel().toString()).isEqualTo("INFO");
    }

    @Test
    void aClientCredentialsTokenIsAuditedWithTheClientAsSubject() throws Exception {
        JWTClaimsSet claims = assertToken(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET, "scope", "app.read"))).getJWTClaimsSet();
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line).contains("jti=" + claims.getJWTID(), "client=" + APP_CLIENT, "subject=" + APP_CLIENT,
                    "grant=client_credentials", "actor=client_app");
            assertThat(line).doesNotContain(APP_SECRET);
        });
    }

    @Test
    void everyTokenGetsItsOwnLineAndRefusalsGetNone() {
        for (int i = 0; i < 3; i++) {
            assertToken(server.postForm(C, form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                    "scope", "obo.read", "subject_email", "jane.doe@example.com")));
        }
        assertError(server.postForm(U, form("grant_type", "client_credentials", "client_id", APP_CLIENT,
                "client_secret", APP_SECRET + "x", "scope", "app.read")), 400, "invalid_client");
        assertError(server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT, "client_secret", OBO_SECRET,
                "scope", "obo.read", "subject_username", "nobody")), 400, "invalid_grant");
        assertThat(lines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("subject=c-1", "realm=C"));
        assertThat(lines().stream().map(line -> line.replaceAll(".*jti=", "")).distinct()).hasSize(3);
        assertThat(String.join("\n", lines())).doesNotContain(APP_SECRET, OBO_SECRET);
    }

    @Test
    void valuesThatCouldForgeFieldsOrLinesAreEscaped() {
        JWTClaimsSet claims;
        try {
            claims = assertToken(server.postForm(U, form("grant_type", "password", "client_id", OBO_CLIENT,
                    "client_secret", OBO_SECRET, "scope", "obo.read", "subject_username", "mallory"))).getJWTClaimsSet();
            assertThat(claims.getSubject()).isEqualTo("evil\" grant=client_credentials\nforged=1");
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
        assertThat(lines()).singleElement().satisfies(line -> {
            assertThat(line).doesNotContain("\n", "\r", "evil\"");
            assertThat(line).as("no forged field").containsOnlyOnce(" grant=").contains(" grant=password ");
            assertThat(line).contains("subject=evil\\x22\\x20grant=client_credentials\\x0aforged=1 grant=password");
        });
    }
}
