package dev.portcullis.exchange;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A third, minimal identity provider on a loopback port whose signing key the test rotates: it serves
 * only the current public key at /jwks and signs tokens with any key the test holds.
 */
final class RotatingKeyProvider implements AutoCloseable {

    private final HttpServer server;
    private volatile RSAKey current;
    private final AtomicInteger fetches = new AtomicInteger();

    RotatingKeyProvider() {
        try {
            current = newKey();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/rotating/jwks", exchange -> {
                fetches.incrementAndGet();
                byte[] body = new JWKSet(current.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rotating";
    }

    String jwksUri() {
        return issuer() + "/jwks";
    }

    RSAKey currentKey() {
        return current;
    }

    /** Replaces the published key: tokens signed with the old one no longer verify once the new set is fetched. */
    RSAKey rotate() {
        current = newKey();
        return current;
    }

    int fetches() {
        return fetches.get();
    }

    /** A token for {@code email} with {@code aud}, signed by {@code key}, as if from {@code issuer}. */
    static String token(RSAKey key, String issuer, String audience, String email) {
        return sign(key, claims(issuer, audience, email));
    }

    static JWTClaimsSet claims(String issuer, String audience, String email) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("ext-" + email).audience(List.of(audience)).claim("email", email)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString()).build();
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token MACed with a shared secret: what a registration must never accept. */
    static String hmacToken(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
