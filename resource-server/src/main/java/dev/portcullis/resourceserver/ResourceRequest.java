package dev.portcullis.resourceserver;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What the API saw of one request, as far as its access token goes: the method and URL it was sent to (for a DPoP
 * proof's {@code htm} and {@code htu}), its {@code Authorization} header (null when absent), and the values of every
 * {@code DPoP} header it carried (none for a Bearer request). The adapters build it; code calling
 * {@link ResourceServer#authorize(ResourceRequest, AccessRule)} itself builds it from its own request object.
 */
public record ResourceRequest(String method, URI url, String authorization, List<String> dpopProofs) {

    public ResourceRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        dpopProofs = List.copyOf(dpopProofs);
    }

    /** {@code url} as the request line and Host header gave it; any query is ignored, as DPoP ignores it. */
    public static ResourceRequest of(String method, String url, String authorization, List<String> dpopProofs) {
        return new ResourceRequest(method, URI.create(url), authorization, dpopProofs);
    }
}
