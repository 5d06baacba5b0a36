package dev.portcullis.dpop;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.ServersPerStore;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.portcullis.dpop.DpopClient.READ;
import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a DPoP key binds besides the access token: a code requested with dpop_jkt (RFC 9449 section 10), a public
 * client's refresh tokens (section 5), a bound token offered for exchange; and what the metadata advertises.
 * A refused binding never spends the code or revokes the refresh token, so the key holder still can.
 */
class DpopBindingTest {

    private static final ServersPerStore SERVERS = new ServersPerStore(DpopClient.YAML);

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    private static DpopClient client(StoreKind store) {
        return new DpopClient(SERVERS.get(store));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aCodeBoundWithDpopJktIsRedeemedOnlyWithAProofOfThatKey(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String code = client.spaCode(READ, DpopClient.thumbprint(key));

        assertError(client.redeemSpa(code), 400, "invalid_dpop_proof", "dpop_jkt");
        assertError(client.redeemSpa(code, client.proof(DpopClient.newKey())), 400, "invalid_grant", "dpop_jkt");
        HttpResponse<String> redeemed = client.redeemSpa(code, client.proof(key));
        DpopClient.assertBound(redeemed, key);
        assertThat(DpopClient.field(redeemed, "refresh_token")).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDpopProofWithAPushedRequestBindsItsCodeAsDpopJktDoes(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String parUrl = client.url(DpopClient.USERS + "/oauth2/par");
        String code = client.pushedSpaCode(READ, null, DpopClient.proof(key, "POST", parUrl, new java.util.Date(), null, null));
        assertError(client.redeemSpa(code), 400, "invalid_dpop_proof", "dpop_jkt");
        assertError(client.redeemSpa(code, client.proof(DpopClient.newKey())), 400, "invalid_grant", "dpop_jkt");
        DpopClient.assertBound(client.redeemSpa(code, client.proof(key)), key);

        // a proof for the token endpoint is not one for the push, and dpop_jkt must name the proof's own key
        Map<String, String> form = form("client_id", DpopClient.SPA, "response_type", "code", "redirect_uri",
                DpopClient.SPA_REDIRECT, "scope", READ, "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method", "S256");
        assertError(client.push(form, client.proof(key)), 400, "invalid_dpop_proof", "htu");
        Map<String, String> otherJkt = new java.util.LinkedHashMap<>(form);
        otherJkt.put("dpop_jkt", DpopClient.thumbprint(DpopClient.newKey()));
        assertError(client.push(otherJkt, DpopClient.proof(key, "POST", parUrl, new java.util.Date(), null, null)), 400,
                "invalid_dpop_proof", "dpop_jkt names another key");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aMalformedDpopJktIsRefusedOnAuthorize(StoreKind store) {
        DpopClient client = client(store);
        BrowserClient browser = new BrowserClient(client.server.baseUrl());
        HttpResponse<String> response = browser.get(DpopClient.USERS + "/oauth2/authorize?" + TestServer.encode(OAuthResponses.form(
                "client_id", DpopClient.SPA, "response_type", "code", "redirect_uri", DpopClient.SPA_REDIRECT, "scope", READ,
                "state", "s9", "code_challenge", dev.portcullis.grant.Pkce.s256(DpopClient.VERIFIER), "code_challenge_method", "S256",
                "dpop_jkt", "not-a-thumbprint")));
        assertThat(response.statusCode()).isEqualTo(302);
        Map<String, String> params = BrowserClient.redirectParams(response);
        assertThat(params).containsEntry("error", "invalid_request").containsEntry("state", "s9");
        assertThat(params.get("error_description")).contains("dpop_jkt");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPublicClientsRefreshTokenIsBoundToItsKey(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        HttpResponse<String> redeemed = client.redeemSpa(client.spaCode(READ, null), client.proof(key));
        DpopClient.assertBound(redeemed, key);
        String refresh = DpopClient.field(redeemed, "refresh_token");

        assertError(client.refreshSpa(refresh), 400, "invalid_dpop_proof", "bound to a DPoP key");
        assertError(client.refreshSpa(refresh, client.proof(DpopClient.newKey())), 400, "invalid_grant", "another DPoP key");

        HttpResponse<String> refreshed = client.refreshSpa(refresh, client.proof(key));
        DpopClient.assertBound(refreshed, key);
        DpopClient.assertBound(client.refreshSpa(DpopClient.field(refreshed, "refresh_token"), client.proof(key)), key);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPublicClientWithoutDpopKeepsBearerTokensAndUnboundRefreshTokens(StoreKind store) {
        DpopClient client = client(store);
        HttpResponse<String> redeemed = client.redeemSpa(client.spaCode(READ, null));
        OAuthResponses.assertToken(redeemed);
        HttpResponse<String> refreshed = client.refreshSpa(DpopClient.field(redeemed, "refresh_token"));
        OAuthResponses.assertToken(refreshed);
        // a later refresh may still ask for a bound access token
        ECKey key = DpopClient.newKey();
        DpopClient.assertBound(client.refreshSpa(DpopClient.field(refreshed, "refresh_token"), client.proof(key)), key);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aConfidentialClientsRefreshTokenStaysTiedToItsSecretAlone(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String code = client.webCode();
        HttpResponse<String> redeemed = client.token(OAuthResponses.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", DpopClient.WEB_REDIRECT, "client_id", DpopClient.WEB, "client_secret", DpopClient.WEB_SECRET),
                Map.of(), client.proof(key));
        DpopClient.assertBound(redeemed, key);
        HttpResponse<String> refreshed = client.token(OAuthResponses.form("grant_type", "refresh_token", "refresh_token",
                DpopClient.field(redeemed, "refresh_token"), "client_id", DpopClient.WEB, "client_secret", DpopClient.WEB_SECRET),
                Map.of());
        OAuthResponses.assertToken(refreshed);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aBoundTokenIsExchangedOnlyWithAProofOfItsKeyAndStaysBound(StoreKind store) {
        DpopClient client = client(store);
        ECKey key = DpopClient.newKey();
        String bound = DpopClient.field(client.clientCredentials(client.proof(key)), "access_token");
        Map<String, String> exchange = OAuthResponses.form("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "client_id", DpopClient.WEB, "client_secret", DpopClient.WEB_SECRET, "subject_token", bound,
                "subject_token_type", "urn:ietf:params:oauth:token-type:access_token");

        assertError(client.token(exchange, Map.of()), 400, "invalid_request", "bound to a DPoP key");
        assertError(client.token(exchange, Map.of(), client.proof(DpopClient.newKey())), 400, "invalid_request", "bound to a DPoP key");
        DpopClient.assertBound(client.token(exchange, Map.of(), client.proof(key)), key);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metadataAdvertisesOnlyAsymmetricProofAlgorithms(StoreKind store) {
        DpopClient client = client(store);
        for (String document : new String[] {"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}) {
            JsonNode metadata = OAuthResponses.json(client.server.get(DpopClient.USERS + document));
            JsonNode algorithms = metadata.path("dpop_signing_alg_values_supported");
            assertThat(algorithms.isArray()).as("%s in %s", document, metadata).isTrue();
            assertThat(algorithms.toString()).contains("\"ES256\"", "\"PS256\"", "\"RS256\"")
                    .doesNotContain("none", "HS256", "HS384", "HS512");
        }
    }
}
