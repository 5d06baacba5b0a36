package dev.portcullis.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token requests of the seed SPA and the web client against the user realm. */
final class TokenClient {

    static final String TOKEN_PATH = "/system/auth/TMPRODB88619984-U/oauth2/token";

    private final TestServer server;
    private final BrowserClient browser;

    TokenClient(TestServer server) {
        this.server = server;
        this.browser = new BrowserClient(server.baseUrl());
    }

    /** A fresh code for the SPA: the first call signs in and consents, later ones reuse the session. */
    String spaCode() {
        HttpResponse<String> redirect = SignInFlow.signIn(browser, SignInTenants.seedAuthorizePath("U"), "username", "pa",
                "pa-password-123");
        return BrowserClient.redirectParams(redirect).get("code");
    }

    String webCode() {
        HttpResponse<String> redirect = SignInFlow.signIn(browser, SignInTenants.webAuthorizePath(), "username", "pa",
                "pa-password-123");
        return BrowserClient.redirectParams(redirect).get("code");
    }

    HttpResponse<String> redeemSpa(String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", SignInTenants.SEED_REDIRECT);
        form.put("client_id", SignInTenants.SPA);
        form.put("code_verifier", SignInTenants.VERIFIER);
        return server.postForm(TOKEN_PATH, form);
    }

    HttpResponse<String> post(Map<String, String> form) {
        return server.postForm(TOKEN_PATH, form);
    }

    HttpResponse<String> refreshSpa(String refreshToken, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", SignInTenants.SPA);
        if (scope != null) {
            form.put("scope", scope);
        }
        return server.postForm(TOKEN_PATH, form);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
