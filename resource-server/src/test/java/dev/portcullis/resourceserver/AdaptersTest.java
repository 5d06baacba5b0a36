package dev.portcullis.resourceserver;

import io.javalin.Javalin;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Optional;

import static dev.portcullis.resourceserver.FakeIssuer.API;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Javalin wrapper, the Javalin before-handler and the servlet filter, each in a real Jetty on a loopback
 * port: the endpoint runs only for an allowed token and sees it; the others get the RFC 6750 answer.
 */
class AdaptersTest {

    private static final AccessRule READ = AccessRule.allow(ActorType.CLIENT_ON_BEHALF_OF_USER, "knowledge.portalmgr.onbehalfof.read");
    private static FakeIssuer issuer;
    private static Javalin app;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        issuer = new FakeIssuer("T1-U");
        ResourceServer tokens = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API).build();
        HttpServlet servlet = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.getWriter().write("servlet:" + BearerTokenFilter.token(request).subject());
            }
        };
        app = Javalin.create(config -> config.jetty.modifyServletContextHandler(handler -> {
            handler.addServlet(new ServletHolder(servlet), "/servlet/*");
            handler.addFilter(new FilterHolder(new BearerTokenFilter(tokens, request ->
                            request.getRequestURI().endsWith("/open-by-mistake") ? Optional.empty() : Optional.of(READ))),
                    "/servlet/*", EnumSet.of(DispatcherType.REQUEST));
        }));
        app.get("/wrapped", JavalinBearerAuth.protect(tokens, READ, ctx -> ctx.result("wrapped:" + JavalinBearerAuth.token(ctx).subject())));
        app.before("/before", JavalinBearerAuth.require(tokens, READ));
        app.get("/before", ctx -> ctx.result("before:" + JavalinBearerAuth.token(ctx).subject()));
        app.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
        issuer.close();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/wrapped", "/before", "/servlet/articles"})
    void anAllowedTokenReachesTheEndpointWhichSeesIt(String path) throws Exception {
        HttpResponse<String> response = get(path, "Bearer " + issuer.token());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).endsWith(":1001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/wrapped", "/before", "/servlet/articles"})
    void refusalsAreRfc6750AnswersAndNeverReachTheEndpoint(String path) throws Exception {
        HttpResponse<String> none = get(path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"" + API + "\"");
        assertThat(none.body()).doesNotContain(":1001");

        HttpResponse<String> invalid = get(path, "Bearer " + issuer.sign(issuer.claims().audience("https://x.example").build()));
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(invalid.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(invalid.body()).contains("\"error\":\"invalid_token\"");

        HttpResponse<String> customer = get(path, "Bearer " + issuer.sign(issuer.claims().claim("actor_type", "customer").build()));
        assertThat(customer.statusCode()).isEqualTo(403);
        assertThat(customer.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"insufficient_scope\"");
        assertThat(customer.body()).doesNotContain(":1001");

        HttpResponse<String> noScope = get(path, "Bearer " + issuer.sign(issuer.claims().claim("scope", "other").build()));
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(noScope.headers().firstValue("WWW-Authenticate").orElseThrow())
                .endsWith("scope=\"knowledge.portalmgr.onbehalfof.read\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/wrapped", "/before", "/servlet/articles"})
    void aDpopBoundTokenPassesWithItsProofForThisRequestOnly(String path) throws Exception {
        com.nimbusds.jose.jwk.ECKey key = DpopTest.newKey();
        String token = issuer.sign(issuer.claims().claim("cnf", java.util.Map.of("jkt", DpopTest.thumbprint(key))).build());
        String url = "http://127.0.0.1:" + app.port() + path;
        HttpResponse<String> proven = HTTP.send(HttpRequest.newBuilder(URI.create(url + "?page=1")).header("Authorization", "DPoP " + token)
                .header("DPoP", DpopTest.proof(key, "GET", url, token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proven.statusCode()).as(proven.body()).isEqualTo(200);
        assertThat(proven.body()).endsWith(":1001");

        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
                .header("DPoP", DpopTest.proof(key, "GET", url + "/x", token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(401);
        assertThat(elsewhere.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("DPoP ")
                .contains("error=\"invalid_dpop_proof\"");

        HttpResponse<String> asBearer = get(path, "Bearer " + token);
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.body()).doesNotContain(":1001");
    }

    @org.junit.jupiter.api.Test
    void theFilterRefusesARequestItsRuleFunctionHasNoRuleFor() throws Exception {
        HttpResponse<String> response = get("/servlet/open-by-mistake", "Bearer " + issuer.token());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("no caller may use this operation");
    }
}
