package dev.portcullis.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An https server on 127.0.0.1 only (with the {@link LoopbackTls} certificate, which this JVM is made to trust), for
 * documents the server under test fetches: each path answers as a test sets it, and counts the requests it had, so a
 * test can show that a refused URL was never fetched and that a redirect was not followed.
 */
public final class LoopbackHttpsServer implements AutoCloseable {

    /** How a path answers. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(HttpExchange exchange) throws Exception;
    }

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-https");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Behaviour> paths = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private final String address;

    public LoopbackHttpsServer() {
        this("127.0.0.1");
    }

    /** On another loopback address, such as 127.0.0.2, which the certificate does not name. */
    public LoopbackHttpsServer(String loopbackAddress) {
        LoopbackTls.trustInThisJvm();
        try {
            InetAddress bind = InetAddress.getByName(loopbackAddress);
            if (!bind.isLoopbackAddress()) {
                throw new IllegalArgumentException("tests serve on loopback only, not " + loopbackAddress);
            }
            address = loopbackAddress;
            server = HttpsServer.create(new InetSocketAddress(bind, 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(LoopbackTls.serverContext()));
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Behaviour behaviour = paths.getOrDefault(path, LoopbackHttpsServer::notFound);
            try {
                behaviour.answer(exchange);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} by the loopback literal. */
    public String url(String path) {
        return "https://" + address + ":" + port() + path;
    }

    /** The URL of {@code path} by the name localhost. */
    public String localhostUrl(String path) {
        return "https://localhost:" + port() + path;
    }

    public void on(String path, Behaviour behaviour) {
        paths.put(path, behaviour);
    }

    /** {@code path} answers 200 with this JSON and these extra headers. */
    public void json(String path, String json, String... headerPairs) {
        on(path, respond(200, "application/json", json, headerPairs));
    }

    /** An answer with the given status, content type (null for none), body and extra header pairs. */
    public static Behaviour respond(int status, String contentType, String body, String... headerPairs) {
        return exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                headers.put(headerPairs[i], headerPairs[i + 1]);
            }
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            headers.forEach(exchange.getResponseHeaders()::set);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        };
    }

    /** An answer of {@code size} bytes sent in chunks, without a Content-Length to check first. */
    public static Behaviour chunked(int size) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            byte[] spaces = " ".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            for (int sent = 0; sent < size; sent += spaces.length) {
                out.write(spaces);
            }
        };
    }

    /** Accepts the request and never answers (until the server closes). */
    public Behaviour silent() {
        return exchange -> awaitClose(60_000);
    }

    /** Answers 200 at once, then sends one byte of the body every {@code everyMillis}, forever. */
    public Behaviour trickle(long everyMillis) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 10_000 && !awaitClose(everyMillis); i++) {
                out.write(' ');
                out.flush();
            }
        };
    }

    /** How many requests {@code path} has had. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    public int totalHits() {
        return hits.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private boolean awaitClose(long millis) {
        try {
            return closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(404, -1);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
