package dev.portcullis.exchange;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.portcullis.net.SafeFetcher;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Fetches an identity provider's metadata and key set for Nimbus through the {@link SafeFetcher}: https, or http
 * to loopback for development; loopback addresses always (a provider an operator registered may run beside the
 * server), private ones only when the registration allows them; 2 s to connect, 2 s per read, 4 s in all, 256 KiB.
 */
final class ProviderFetcher implements ResourceRetriever {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 2_000;
    static final int TOTAL_TIMEOUT_MILLIS = 4_000;
    static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private final SafeFetcher fetcher;

    ProviderFetcher(boolean allowPrivateNetwork) {
        this.fetcher = new SafeFetcher(new SafeFetcher.Policy(true, true, allowPrivateNetwork, SIZE_LIMIT_BYTES,
                CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, TOTAL_TIMEOUT_MILLIS, "application/json",
                " (set allow_private_network: true on the registration to allow it)"));
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        SafeFetcher.Response response = fetcher.fetch(url);
        return new Resource(new String(response.body(), StandardCharsets.UTF_8), response.header("Content-Type").orElse(null));
    }
}
