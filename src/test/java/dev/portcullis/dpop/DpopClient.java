package dev.portcullis.dpop;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.portcullis.grant.Pkce;
import dev.portcullis.testing.BrowserClient;
import dev.portcullis.testing.OAuthResponses;
import dev.portcullis.testing.SignInFlow;
import dev.portcullis.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DPoP client of the {@link #YAML} tenant: its keys, proofs made with Nimbus' proof factory (and, for the
 * refusals, proofs no honest factory makes), and its token requests with any number of DPoP headers.
 */
final class DpopClient {

    static final String TENANT = "TDPOP01";
    static final String USERS = "/system/auth/" + TENANT + "-U";
    static final String TOKEN = USERS + "/oauth2/token";
    static final String USERINFO = USERS + "/oauth2/userinfo";
    static final String SPA = "dpop-spa";
    static final String SPA_REDIRECT = "http://127.0.0.1:5173/cb";
    static final String WEB = "dpop-web";
    static final String WEB_SECRET = "dpop-web-secret-0123456789abcdefghijklmn";
    static final String WEB_REDIRECT = "https://rp.example.com/cb";
    static final String READ = "core.aiservices.read";
    static final String APP = "app.knowledge.contentmgr.manage";
    static final String PASSWORD = "password-of-pa-0001";
    static final String VERIFIER = "dpop-verifier-0123456789-0123456789-0123456789";

    static final String YAML = """
            tenants:
              - id: TDPOP01
                name: DPoP test tenant
                scopes:
                  - { name: openid, kind: delegated, description: Sign you in }
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: app.knowledge.contentmgr.manage, kind: application, description: Manage as the app }
                users:
                  - { id: "1001", username: pa, email: pa@example.com, password: "password-of-pa-0001" }
                clients:
                  - client_id: dpop-spa
                    name: DPoP SPA
                    platform: spa
                    consent: skip
                    scopes: [ openid, core.aiservices.read ]
                    redirect_uris: [ "http://127.0.0.1:5173/cb" ]
                  - client_id: dpop-web
                    name: DPoP web app
                    platform: web
                    consent: skip
                    token_exchange: true
                    secrets: [ "dpop-web-secret-0123456789abcdefghijklmn" ]
                    scopes: [ openid, core.aiservices.read, app.knowledge.contentmgr.manage ]
                    redirect_uris: [ "https://rp.example.com/cb" ]
            """;

    /** The same tenant with {@code dpop: { nonce: true }}. */
    static final String NONCE_YAML = YAML.replace("    name: DPoP test tenant\n", "    name: DPoP test tenant\n    dpop: { nonce: true }\n");

    final TestServer server;
    private final BrowserClient browser;
    /** The server's public URL, which proofs name: its own base URL, or the one it shares with other instances. */
    private final String publicUrl;

    DpopClient(TestServer server) {
        this(server, server.baseUrl());
    }

    DpopClient(TestServer server, String publicUrl) {
        this.server = server;
        this.browser = new BrowserClient(server.baseUrl());
        this.publicUrl = publicUrl;
    }

    static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public URL of {@code path}: what a proof's htu names. */
    String url(String path) {
        return publicUrl + path;
    }

    /** A fresh proof for a POST to the token endpoint. */
    String proof(JWK key) {
        return proof(key, "POST", url(TOKEN), new Date(), null, null);
    }

    static String proof(JWK key, String method, String url, Date iat, String accessToken, String nonce) {
        try {
            return new DefaultDPoPProofFactory(key, key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.PS256)
                    .createDPoPJWT(new JWTID(), method, URI.create(url), iat, accessToken == null ? null : new DPoPAccessToken(accessToken),
                            nonce == null ? null : new Nonce(nonce))
                    .serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof whose header is exactly {@code header} (as JSON), signed by {@code signer}: what no honest factory makes. */
    static String handMade(String header, JWTClaimsSet claims, JWSSigner signer, JWSAlgorithm algorithm) {
        String signingInput = Base64URL.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        if (signer == null) {
            return signingInput + ".";
        }
        try {
            Base64URL signature = signer.sign(new JWSHeader(algorithm), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a proof for the token endpoint, as the factory would write them. */
    JWTClaimsSet proofClaims() {
        return new JWTClaimsSet.Builder().jwtID(new JWTID().getValue()).claim("htm", "POST").claim("htu", url(TOKEN))
                .issueTime(new Date()).build();
    }

    static String header(JWSAlgorithm algorithm, String typ, JWK jwk) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", typ);
        header.put("alg", algorithm.getName());
        if (jwk != null) {
            header.put("jwk", jwk.toJSONObject());
        }
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header);
    }

    static JWSSigner signer(ECKey key) {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token request with one DPoP header per proof given. */
    HttpResponse<String> token(Map<String, String> form, Map<String, String> headers, String... proofs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + TOKEN))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form)));
        headers.forEach(request::header);
        for (String proof : proofs) {
            request.header("DPoP", proof);
        }
        return server.send(request.build());
    }

    /** client_credentials for the web client, authenticated in the body. */
    HttpResponse<String> clientCredentials(String... proofs) {
        return token(OAuthResponses.form("grant_type", "client_credentials", "client_id", WEB, "client_secret", WEB_SECRET,
                "scope", APP), Map.of(), proofs);
    }

    /** A code for the spa client (PKCE), signed in as pa; {@code dpopJkt} binds it, when not null. */
    String spaCode(String scope, String dpopJkt) {
        Map<String, String> query = OAuthResponses.form("client_id", SPA, "response_type", "code", "redirect_uri", SPA_REDIRECT,
                "scope", scope, "state", "s1", "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256");
        if (dpopJkt != null) {
            query.put("dpop_jkt", dpopJkt);
        }
        HttpResponse<String> redirect = SignInFlow.signIn(browser, USERS + "/oauth2/authorize?" + TestServer.encode(query),
                "username", "pa", PASSWORD);
        String code = BrowserClient.redirectParams(redirect).get("code");
        assertThat(code).as("code in %s", BrowserClient.location(redirect)).isNotNull();
        return code;
    }

    /**
     * Pushes the spa's authorization request (RFC 9126) with {@code proofs} in DPoP headers, then signs in with the
     * request_uri alone; returns the code, or fails with the push's answer.
     */
    String pushedSpaCode(String scope, String dpopJkt, String... proofs) {
        Map<String, String> form = OAuthResponses.form("client_id", SPA, "response_type", "code", "redirect_uri", SPA_REDIRECT,
                "scope", scope, "state", "p1", "code_challenge", Pkce.s256(VERIFIER), "code_challenge_method", "S256");
        if (dpopJkt != null) {
            form.put("dpop_jkt", dpopJkt);
        }
        HttpResponse<String> pushed = push(form, proofs);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
        String requestUri = OAuthResponses.json(pushed).path("request_uri").asText();
        HttpResponse<String> redirect = SignInFlow.signIn(browser, USERS + "/oauth2/authorize?" + TestServer.encode(
                OAuthResponses.form("client_id", SPA, "request_uri", requestUri)), "username", "pa", PASSWORD);
        return BrowserClient.redirectParams(redirect).get("code");
    }

    HttpResponse<String> push(Map<String, String> form, String... proofs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + USERS + "/oauth2/par"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(form)));
        for (String proof : proofs) {
            request.header("DPoP", proof);
        }
        return server.send(request.build());
    }

    /** A code for the web client (no PKCE), signed in as pa. */
    String webCode() {
        Map<String, String> query = OAuthResponses.form("client_id", WEB, "response_type", "code", "redirect_uri", WEB_REDIRECT,
                "scope", READ, "state", "w1");
        HttpResponse<String> redirect = SignInFlow.signIn(browser, USERS + "/oauth2/authorize?" + TestServer.encode(query),
                "username", "pa", PASSWORD);
        return BrowserClient.redirectParams(redirect).get("code");
    }

    HttpResponse<String> redeemSpa(String code, String... proofs) {
        return token(OAuthResponses.form("grant_type", "authorization_code", "code", code, "redirect_uri", SPA_REDIRECT,
                "client_id", SPA, "code_verifier", VERIFIER), Map.of(), proofs);
    }

    HttpResponse<String> refreshSpa(String refreshToken, String... proofs) {
        return token(OAuthResponses.form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", SPA),
                Map.of(), proofs);
    }

    HttpResponse<String> introspect(String token) {
        String basic = Base64.getEncoder().encodeToString((WEB + ":" + WEB_SECRET).getBytes(StandardCharsets.UTF_8));
        return server.postForm(USERS + "/oauth2/introspect", Map.of("token", token), Map.of("Authorization", "Basic " + basic));
    }

    /** Asserts a DPoP-bound token response for {@code key} and returns the access token's claims. */
    static JWTClaimsSet assertBound(HttpResponse<String> response, JWK key) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        JsonNode body = OAuthResponses.json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("DPoP");
        JWTClaimsSet claims = claims(body.path("access_token").asText());
        assertThat(claims.getClaim("cnf")).as("cnf claim").isEqualTo(Map.of("jkt", thumbprint(key)));
        return claims;
    }

    static JWTClaimsSet claims(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT: " + accessToken, e);
        }
    }

    static String field(HttpResponse<String> response, String name) {
        return OAuthResponses.json(response).path(name).asText();
    }

    static JOSEObjectType dpopType() {
        return new JOSEObjectType("dpop+jwt");
    }
}
