package dev.portcullis.net;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a small document from a URL that someone outside the server chose (an identity provider's keys, a client's
 * metadata document) without letting it reach what it should not, or hold a request thread: https only (http to a
 * loopback host only where the {@link Policy} allows it); the host is resolved once, every address it has is checked
 * ({@link NetworkAddresses}) and the connection is made to the checked address ({@link PinnedSslSocketFactory}, so a
 * second DNS answer cannot point it elsewhere); no proxy, no redirect, a connect, a read and an overall time limit,
 * and a size limit. Only a 200 answer is a document.
 */
public final class SafeFetcher {

    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(daemon("portcullis-fetch-dns"));
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(daemon("portcullis-fetch-deadline"));

    /**
     * What a fetch may reach and how long and large it may be.
     *
     * @param httpToLoopback      plain http to localhost or a loopback literal (development identity providers)
     * @param allowLoopback       whether a host may resolve to 127.0.0.0/8 or ::1
     * @param allowPrivateNetwork whether a host may resolve to a private, link-local or other internal address
     * @param privateNetworkHint  appended to the refusal of a private address: how to allow it, if it can be allowed
     */
    public record Policy(boolean httpToLoopback, boolean allowLoopback, boolean allowPrivateNetwork, int maxBytes,
                         int connectTimeoutMillis, int readTimeoutMillis, int totalTimeoutMillis, String accept,
                         String privateNetworkHint) {
    }

    /** Why a fetch failed: the caller decides what to tell whom (an address must not reach a stranger). */
    public enum Reason {
        /** The URL or the address its host resolves to is not one to fetch; nothing was sent. */
        REFUSED,
        /** The host has no address, or the connection or TLS failed. */
        UNREACHABLE,
        TIMEOUT,
        /** An answer other than 200 or a redirect. */
        STATUS,
        /** A 3xx answer, which is never followed. */
        REDIRECT,
        TOO_LARGE
    }

    /** A fetch refused before any connection, or failed; the message names the URL and may name an address. */
    public static final class FetchException extends IOException {
        private final Reason reason;

        FetchException(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** A 200 answer: its body (within the size limit) and its headers, looked up ignoring case. */
    public record Response(byte[] body, Map<String, String> headers) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    private final Policy policy;

    public SafeFetcher(Policy policy) {
        this.policy = policy;
    }

    public Policy policy() {
        return policy;
    }

    public Response fetch(URL url) throws FetchException {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !(policy.httpToLoopback() && scheme.equals("http") && NetworkAddresses.isLoopbackHost(url.getHost()))) {
            throw new FetchException(Reason.REFUSED, url + " is refused: only https URLs are fetched"
                    + (policy.httpToLoopback() ? " (http only on a loopback host)" : ""));
        }
        InetAddress pinned = checkedAddress(url.getHost(), https);
        HttpURLConnection connection;
        try {
            connection = open(url, pinned, https);
        } catch (IOException e) {
            throw new FetchException(Reason.UNREACHABLE, url + " could not be fetched: " + describe(e));
        }
        // the flag is set before the connection is cut, so the reading thread's failure is known to be the deadline's
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            connection.disconnect();
        }, policy.totalTimeoutMillis(), TimeUnit.MILLISECONDS);
        try {
            int status = connection.getResponseCode();
            if (status / 100 == 3) {
                throw new FetchException(Reason.REDIRECT, url + " answered HTTP " + status + "; redirects are not followed");
            }
            if (status != 200) {
                throw new FetchException(Reason.STATUS, url + " answered HTTP " + status);
            }
            if (connection.getContentLengthLong() > policy.maxBytes()) {
                throw tooLarge(url);
            }
            byte[] body;
            try (InputStream in = connection.getInputStream()) {
                body = in.readNBytes(policy.maxBytes() + 1);
            }
            if (body.length > policy.maxBytes()) {
                throw tooLarge(url);
            }
            return new Response(body, headers(connection));
        } catch (FetchException e) {
            throw e;
        } catch (IOException e) {
            if (expired.get()) {
                throw new FetchException(Reason.TIMEOUT, url + " did not answer within " + seconds(policy.totalTimeoutMillis()));
            }
            if (e instanceof java.net.SocketTimeoutException) {
                throw new FetchException(Reason.TIMEOUT, url + " could not be fetched: " + describe(e));
            }
            throw new FetchException(Reason.UNREACHABLE, url + " could not be fetched: " + describe(e));
        } finally {
            deadline.cancel(false);
            connection.disconnect();
        }
    }

    private FetchException tooLarge(URL url) {
        int max = policy.maxBytes();
        return new FetchException(Reason.TOO_LARGE, url + " sent more than "
                + (max % 1024 == 0 ? max / 1024 + " KiB" : max + " bytes"));
    }

    /** Resolves the host once and returns the address to connect to, if every address it has is allowed. */
    private InetAddress checkedAddress(String host, boolean https) throws FetchException {
        List<InetAddress> addresses = resolve(host);
        for (InetAddress address : addresses) {
            NetworkAddresses.Kind kind = NetworkAddresses.classify(address);
            if (!https && kind != NetworkAddresses.Kind.LOOPBACK) {
                throw new FetchException(Reason.REFUSED, "http://" + host + " is refused: it resolves to "
                        + address.getHostAddress() + ", not a loopback address");
            }
            if (kind == NetworkAddresses.Kind.LOOPBACK && !policy.allowLoopback()) {
                throw new FetchException(Reason.REFUSED, host + " is refused: it resolves to the loopback address "
                        + address.getHostAddress());
            }
            if (kind == NetworkAddresses.Kind.PRIVATE && !policy.allowPrivateNetwork()) {
                throw new FetchException(Reason.REFUSED, host + " is refused: it resolves to the private or internal address "
                        + address.getHostAddress() + policy.privateNetworkHint());
            }
        }
        return addresses.get(0);
    }

    private List<InetAddress> resolve(String host) throws FetchException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(bare);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }, RESOLVER);
        try {
            InetAddress[] found = lookup.get(policy.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            if (found.length == 0) {
                throw new FetchException(Reason.UNREACHABLE, "host " + host + " has no address");
            }
            return List.of(found);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new FetchException(Reason.TIMEOUT, "host " + host + " could not be resolved within "
                    + seconds(policy.connectTimeoutMillis()));
        } catch (ExecutionException e) {
            throw new FetchException(Reason.UNREACHABLE, "host " + host + " could not be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Reason.UNREACHABLE, "interrupted while resolving " + host);
        }
    }

    private HttpURLConnection open(URL url, InetAddress pinned, boolean https) throws IOException {
        // Plain http is only ever a loopback literal or localhost (the hosts file, not DNS), so only
        // https needs the connection pinned to the checked address.
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        if (https) {
            // the default context is read at each fetch, so a trust store installed later (a test's) is used
            ((HttpsURLConnection) connection).setSSLSocketFactory(
                    new PinnedSslSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault(), pinned));
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(policy.connectTimeoutMillis());
        connection.setReadTimeout(policy.readTimeoutMillis());
        connection.setRequestProperty("Accept", policy.accept());
        connection.setRequestProperty("User-Agent", "Portcullis");
        return connection;
    }

    private static Map<String, String> headers(HttpURLConnection connection) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && values != null) {
                headers.merge(name, String.join(", ", values), (a, b) -> a + ", " + b);
            }
        });
        return headers;
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private static String seconds(int millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
