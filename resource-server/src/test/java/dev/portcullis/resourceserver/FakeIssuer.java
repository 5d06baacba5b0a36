package dev.portcullis.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in authorization server on a loopback port: metadata at RFC 8414's well-known URL (or only at
 * OpenID Connect's), a JWKS that tests can change, and a count of JWKS fetches; signs tokens as Portcullis does.
 */
final class FakeIssuer implements AutoCloseable {

    static final String API = "https://api.example.test";

    final String realmPath;
    final HttpServer server;
    final AtomicInteger jwksFetches = new AtomicInteger();
    volatile boolean rfc8414 = true;
    volatile String metadataIssuer;
    volatile String jwksBody;
    private final List<JWK> published = new ArrayList<>();
    JWK signingKey;

    FakeIssuer(String realm) {
        this.realmPath = "/system/auth/" + realm;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
        signingKey = rsaKey();
        publish(signingKey);
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + realmPath;
    }

    static JWK rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes these keys as well as those already published. */
    synchronized void publish(JWK... keys) {
        published.addAll(List.of(keys));
        jwksBody = new JWKSet(published).toString(true);
    }

    JWTClaimsSet.Builder claims() {
        long now = Instant.now().getEpochSecond();
        return new JWTClaimsSet.Builder().issuer(issuer()).subject("1001").audience(API)
                .expirationTime(new Date((now + 300) * 1000)).issueTime(new Date(now * 1000)).jwtID(UUID.randomUUID().toString())
                .claim("client_id", "7121f585").claim("scope", "knowledge.portalmgr.onbehalfof.read other.scope")
                .claim("tenant", "T1").claim("actor_type", "client_on_behalf_of_user");
    }

    String token() {
        return sign(claims().build());
    }

    String sign(JWTClaimsSet claims) {
        return sign(signingKey, JWSAlgorithm.RS256, new JOSEObjectType("at+jwt"), claims);
    }

    static String sign(JWK key, JWSAlgorithm algorithm, JOSEObjectType typ, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(typ).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String metadata = "{\"issuer\":\"" + (metadataIssuer != null ? metadataIssuer : issuer()) + "\",\"jwks_uri\":\""
                + issuer() + "/oauth2/jwks\"}";
        if (path.equals("/.well-known/oauth-authorization-server" + realmPath) && rfc8414
                || path.equals(realmPath + "/.well-known/openid-configuration")) {
            respond(exchange, 200, metadata);
        } else if (path.equals(realmPath + "/oauth2/jwks")) {
            jwksFetches.incrementAndGet();
            respond(exchange, 200, jwksBody);
        } else {
            respond(exchange, 404, "{}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
