package dev.portcullis.exchange;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.FuzzSigner;
import dev.portcullis.testing.FuzzSeeds;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any token-exchange form, read as the grant reads it: the form decoded, the RFC 8693 parameters checked, and the
 * subject_token validated against a registered identity provider whose keys a loopback server publishes. An input
 * may go on, after its first line, with a JOSE header line and a claims line: {@link FuzzSigner} signs them with
 * the provider's key and the JWT replaces {@code $TOKEN} in the form, so fuzzed claims reach the claim checks. Each
 * step returns or refuses with an {@link OAuthException} of status 400; any other exception is a finding.
 */
class TokenExchangeFuzzTest {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final String ISSUER = "https://idp.example.test";
    static final String AUDIENCE = "https://portcullis.example.test";
    private static final String TOKEN_PLACEHOLDER = "$TOKEN";

    private static HttpServer keyServer;
    private static IdentityProvider provider;
    private static ExternalTokens externalTokens;

    @FuzzTest
    void tokenExchangeForm(byte[] input) {
        start();
        // Jazzer reports any other connection as SSRF (a fuzzed token must never make us fetch from elsewhere); it
        // forbids all of them once fuzzing starts, after a first call here, so this is said before every input
        BugDetectors.allowNetworkConnections(TokenExchangeFuzzTest::isKeyServer);
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String form = newline < 0 ? text : text.substring(0, newline);
        if (newline >= 0) {
            Optional<String> token = FuzzSigner.signed(text.substring(newline + 1), NOW.getEpochSecond());
            if (token.isPresent()) {
                form = form.replace(TOKEN_PLACEHOLDER, token.get());
            }
        }
        TokenExchangeRequest request;
        try {
            request = TokenExchangeRequest.parse(FormParameters.parse(form.getBytes(StandardCharsets.UTF_8)));
        } catch (OAuthException refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        assertThat(TokenExchangeRequest.SUBJECT_TOKEN_TYPES).contains(request.subjectTokenType());
        JWTClaimsSet claims;
        try {
            claims = externalTokens.validate(provider, request.subjectToken());
        } catch (OAuthException refused) {
            assertThat(refused.error()).isEqualTo(OAuthError.INVALID_REQUEST);
            return;
        }
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).contains(AUDIENCE);
        assertThat(claims.getExpirationTime()).isAfter(java.util.Date.from(NOW.minusSeconds(ExternalTokens.CLOCK_SKEW_SECONDS)));
        assertThat(claims.getClaim(provider.userClaim().claim())).isNotNull();
    }

    /** The provider's key server and the validator, once per JVM: the key source caches what it fetched. */
    private static synchronized void start() {
        if (keyServer != null) {
            return;
        }
        try {
            keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(FuzzSigner.KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        keyServer.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        keyServer.start();
        String jwksUri = "http://127.0.0.1:" + keyServer.getAddress().getPort() + "/jwks";
        provider = new IdentityProvider("FUZZ", "fuzz-idp", "Fuzz identity provider", RealmType.USER, ISSUER,
                Optional.of(jwksUri), List.of(AUDIENCE), IdentityProvider.DEFAULT_ALGORITHMS, UserClaim.EMAIL, true);
        externalTokens = new ExternalTokens(new ProviderKeys(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static boolean isKeyServer(String host, int port) {
        return port == keyServer.getAddress().getPort() && (host.equals("127.0.0.1") || host.equals("localhost"));
    }

    /** The signed-jwt seed is a token the provider's registration accepts, so fuzzing starts from claims that pass. */
    @Test
    void theSignedSeedIsValid() {
        start();
        String[] lines = new String(seed("signed-jwt"), StandardCharsets.UTF_8).split("\n", 2);
        String form = lines[0].replace(TOKEN_PLACEHOLDER, FuzzSigner.signed(lines[1], NOW.getEpochSecond()).orElseThrow());
        TokenExchangeRequest request = TokenExchangeRequest.parse(FormParameters.parse(form.getBytes(StandardCharsets.UTF_8)));
        assertThat(externalTokens.validate(provider, request.subjectToken()).getSubject()).isEqualTo("u1");
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(TokenExchangeFuzzTest.class, "tokenExchangeForm", name);
    }
}
