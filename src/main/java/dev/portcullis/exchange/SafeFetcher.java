package dev.portcullis.exchange;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an identity provider's metadata and key set without letting the registration reach what it
 * should not, or hold a request thread: https only (http to loopback, for development); the host is
 * resolved once, every address checked ({@link NetworkAddresses}), and the connection made to the
 * checked address; no proxy, no redirect, 2 s to connect, 2 s per read, 4 s in all, 256 KiB at most.
 */
final class SafeFetcher implements ResourceRetriever {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 2_000;
    static final int TOTAL_TIMEOUT_MILLIS = 4_000;
    static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private static final ExecutorService RESOLVER = Executors.newCachedThreadPool(daemon("portcullis-idp-dns"));
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(daemon("portcullis-idp-deadline"));

    /** A fetch refused before any connection, or failed; the message is safe to show the client. */
    static final class FetchException extends IOException {
        FetchException(String message) {
            super(message);
        }
    }

    private final boolean allowPrivateNetwork;

    SafeFetcher(boolean allowPrivateNetwork) {
        this.allowPrivateNetwork = allowPrivateNetwork;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        boolean https = scheme.equals("https");
        if (!https && !(scheme.equals("http") && NetworkAddresses.isLoopbackHost(url.getHost()))) {
            throw new FetchException(url + " is refused: only https URLs are fetched (http only on a loopback host)");
        }
        InetAddress pinned = checkedAddress(url.getHost(), https);
        HttpURLConnection connection = open(url, pinned, https);
        ScheduledFuture<?> deadline = DEADLINES.schedule(connection::disconnect, TOTAL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            int status = connection.getResponseCode();
            if (status / 100 == 3) {
                throw new FetchException(url + " answered HTTP " + status + "; redirects are not followed");
            }
            if (status != 200) {
                throw new FetchException(url + " answered HTTP " + status);
            }
            byte[] body;
            try (InputStream in = connection.getInputStream()) {
                body = in.readNBytes(SIZE_LIMIT_BYTES + 1);
            }
            if (body.length > SIZE_LIMIT_BYTES) {
                throw new FetchException(url + " sent more than " + SIZE_LIMIT_BYTES / 1024 + " KiB");
            }
            return new Resource(new String(body, StandardCharsets.UTF_8), connection.getContentType());
        } catch (FetchException e) {
            throw e;
        } catch (IOException e) {
            boolean late = deadline.isDone();
            throw new FetchException(url + (late ? " did not answer within " + TOTAL_TIMEOUT_MILLIS / 1000 + " s"
                    : " could not be fetched: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())));
        } finally {
            deadline.cancel(false);
            connection.disconnect();
        }
    }

    /** Resolves the host once and returns the address to connect to, if every address it has is allowed. */
    private InetAddress checkedAddress(String host, boolean https) throws FetchException {
        List<InetAddress> addresses = resolve(host);
        for (InetAddress address : addresses) {
            if (!https && NetworkAddresses.classify(address) != NetworkAddresses.Kind.LOOPBACK) {
                throw new FetchException("http://" + host + " is refused: it resolves to " + address.getHostAddress()
                        + ", not a loopback address");
            }
            if (!NetworkAddresses.allowed(address, allowPrivateNetwork)) {
                throw new FetchException(host + " is refused: it resolves to the private or internal address "
                        + address.getHostAddress() + " (set allow_private_network: true on the registration to allow it)");
            }
        }
        return addresses.get(0);
    }

    private static List<InetAddress> resolve(String host) throws FetchException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        CompletableFuture<InetAddress[]> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getAllByName(bare);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }, RESOLVER);
        try {
            InetAddress[] found = lookup.get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (found.length == 0) {
                throw new FetchException("host " + host + " has no address");
            }
            return List.of(found);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new FetchException("host " + host + " could not be resolved within " + CONNECT_TIMEOUT_MILLIS / 1000 + " s");
        } catch (ExecutionException e) {
            throw new FetchException("host " + host + " could not be resolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted while resolving " + host);
        }
    }

    private static HttpURLConnection open(URL url, InetAddress pinned, boolean https) throws IOException {
        // Plain http is only ever a loopback literal or localhost (the hosts file, not DNS), so only
        // https needs the connection pinned to the checked address.
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        if (https) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(
                    new PinnedSslSocketFactory((SSLSocketFactory) SSLSocketFactory.getDefault(), pinned));
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(READ_TIMEOUT_MILLIS);
        connection.setRequestProperty("Accept", "application/json");
        return connection;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
