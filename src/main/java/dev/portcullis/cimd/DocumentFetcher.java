package dev.portcullis.cimd;

import dev.portcullis.net.SafeFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Fetches one client's metadata document through the {@link SafeFetcher}: https only, no redirect followed, only
 * public addresses after DNS resolution (loopback too when {@code allowLoopback}, for tests and development on one
 * machine), {@link #MAX_BYTES} at most, {@link #CONNECT_TIMEOUT_MILLIS} to connect and again to resolve the host,
 * {@link #TOTAL_TIMEOUT_MILLIS} for the answer. Only a 200 answer served as JSON is a document.
 *
 * <p>What a failure tells the caller is chosen for a stranger's eyes: which step failed, never the address a host
 * resolved to nor whether a port refused or timed out (that would make the server a port scanner); the log has
 * the details.
 */
final class DocumentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentFetcher.class);

    /** The draft's recommended maximum (section 7.6): a document is a few hundred bytes. */
    static final int MAX_BYTES = 5 * 1024;
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 2_000;
    static final int TOTAL_TIMEOUT_MILLIS = 3_000;

    /** What one fetch gave: a usable document and how long to keep it, or why there is none. */
    sealed interface Outcome {
        record Fetched(MetadataDocument document, Duration lifetime) implements Outcome {
        }

        /** @param reason completes "its metadata document ...", for the client and the user to read */
        record Failed(String reason) implements Outcome {
        }
    }

    private final SafeFetcher fetcher;
    private final Clock clock;

    DocumentFetcher(boolean allowLoopback, Clock clock) {
        this(policy(allowLoopback, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, TOTAL_TIMEOUT_MILLIS), clock);
    }

    /** With other time limits: the tests' slow servers need not take seconds. */
    DocumentFetcher(SafeFetcher.Policy policy, Clock clock) {
        this.fetcher = new SafeFetcher(policy);
        this.clock = clock;
    }

    static SafeFetcher.Policy policy(boolean allowLoopback, int connectMillis, int readMillis, int totalMillis) {
        return new SafeFetcher.Policy(false, allowLoopback, false, MAX_BYTES, connectMillis, readMillis, totalMillis,
                "application/json", "");
    }

    /** The longest a fetch can take: resolving the host, then the whole answer. */
    long longestMillis() {
        return (long) fetcher.policy().connectTimeoutMillis() + fetcher.policy().totalTimeoutMillis();
    }

    /** Never throws: whatever happens is an outcome, so a waiting request always gets an answer it can show. */
    Outcome fetch(ClientIdUrl url) {
        try {
            return fetchOnce(url);
        } catch (RuntimeException e) {
            LOG.warn("Client ID metadata document {} could not be read", url.value(), e);
            return new Outcome.Failed("could not be read");
        }
    }

    private Outcome fetchOnce(ClientIdUrl url) {
        SafeFetcher.Response response;
        try {
            response = fetcher.fetch(url.url());
        } catch (SafeFetcher.FetchException e) {
            LOG.info("Client ID metadata document {} could not be fetched: {}", url.value(), e.getMessage());
            return new Outcome.Failed(describe(e));
        }
        Optional<String> contentType = response.header("Content-Type");
        if (!isJson(contentType)) {
            LOG.info("Client ID metadata document {} is served as {}", url.value(), contentType.orElse("(no content type)"));
            return new Outcome.Failed("is served as " + contentType.map(t -> "'" + abbreviate(t) + "'").orElse("no content type")
                    + ", not as JSON (application/json)");
        }
        try {
            MetadataDocument document = MetadataDocument.parse(url.value(), response.body());
            Duration lifetime = CacheLifetime.of(response::header, clock.instant());
            LOG.info("Fetched client ID metadata document {}; kept for {} s", url.value(), lifetime.toSeconds());
            return new Outcome.Fetched(document, lifetime);
        } catch (MetadataDocument.InvalidDocument e) {
            LOG.info("Client ID metadata document {} is refused: it {}", url.value(), e.getMessage());
            return new Outcome.Failed(e.getMessage());
        }
    }

    private String describe(SafeFetcher.FetchException e) {
        return switch (e.reason()) {
            case REFUSED -> "is not fetched: its host resolves to an address that is not public (loopback, private, "
                    + "link-local or otherwise reserved)";
            case UNREACHABLE, TIMEOUT -> "could not be fetched: the host could not be resolved or reached, TLS failed, "
                    + "or no complete answer came within " + seconds(fetcher.policy().totalTimeoutMillis());
            case STATUS -> "could not be fetched: " + statusPart(e.getMessage()) + ", not 200";
            case REDIRECT -> "could not be fetched: " + statusPart(e.getMessage())
                    + ", a redirect, which is not followed: serve the document at the client_id URL itself";
            case TOO_LARGE -> "is larger than " + MAX_BYTES / 1024 + " KiB";
        };
    }

    /** "answered HTTP 404" from the fetcher's message, which starts with the URL the caller already knows. */
    private static String statusPart(String message) {
        int at = message.lastIndexOf(" answered HTTP ");
        if (at < 0) {
            return "the answer was not 200";
        }
        String rest = message.substring(at + 1);
        int semicolon = rest.indexOf(';');
        return semicolon < 0 ? rest : rest.substring(0, semicolon);
    }

    /** application/json, or a more specific application/...+json as the draft allows. */
    static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String type = contentType.get().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private static String seconds(int millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
