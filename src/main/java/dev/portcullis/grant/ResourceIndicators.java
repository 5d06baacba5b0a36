package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resource indicators (RFC 8707): which resource server an access token is for. A tenant registers its resources (an
 * MCP server's URL, say); a request's {@code resource} must equal one exactly, and the token's {@code aud} is then that
 * resource instead of the server's {@code api_url}, which stays the audience of every token asked for without one (and
 * may be named too). An authorization request may name several resources; each token is for one of them, so a
 * token request for such a grant names the one it wants, and a refresh can only narrow to a resource of the grant.
 * Every refusal is {@code invalid_target}.
 */
public final class ResourceIndicators {

    private final String apiUrl;

    public ResourceIndicators(String apiUrl) {
        this.apiUrl = apiUrl;
    }

    /** The one resource a token request names, if any: a token here has one audience, so one resource per request. */
    public static Optional<String> requested(FormParameters form) {
        List<String> values = form.all(FormParameters.RESOURCE);
        if (values.size() > 1) {
            throw invalidTarget("a token request names one resource: each access token here is for one audience");
        }
        return values.stream().findFirst();
    }

    /**
     * The resources an authorization request names, each one registered (or the api_url), without repeats. Empty: the
     * grant is for the api_url only.
     */
    public List<String> authorized(Tenant tenant, List<String> requested) {
        List<String> resources = new ArrayList<>();
        for (String resource : requested) {
            checkRegistered(tenant, resource);
            if (!resources.contains(resource)) {
                resources.add(resource);
            }
        }
        return resources.equals(List.of(apiUrl)) ? List.of() : List.copyOf(resources);
    }

    /** The audience of a token no earlier authorization limits (client credentials, on-behalf-of, token exchange). */
    public Optional<String> audience(Tenant tenant, Optional<String> requested) {
        requested.ifPresent(resource -> checkRegistered(tenant, resource));
        return requested.filter(resource -> !resource.equals(apiUrl));
    }

    /**
     * The audience of a token from a grant whose authorization request named {@code granted} (empty: none, so the
     * api_url): the resource requested, which must be one of them, or the only one there is.
     */
    public Optional<String> audience(Tenant tenant, List<String> granted, Optional<String> requested) {
        if (requested.isEmpty()) {
            if (granted.size() > 1) {
                throw invalidTarget("the authorization was for " + granted.size() + " resources: name the one this token is for "
                        + "with resource");
            }
            granted.forEach(resource -> checkRegistered(tenant, resource));
            return granted.stream().findFirst();
        }
        String resource = requested.get();
        boolean inGrant = granted.isEmpty() ? resource.equals(apiUrl) : granted.contains(resource);
        if (!inGrant) {
            throw invalidTarget("resource '" + resource + "' was not named in the authorization request; a token can only be "
                    + "for a resource the authorization was for");
        }
        checkRegistered(tenant, resource);
        return requested.filter(r -> !r.equals(apiUrl));
    }

    private void checkRegistered(Tenant tenant, String resource) {
        if (!resource.equals(apiUrl) && !tenant.authorization().registersResource(resource)) {
            throw invalidTarget("resource '" + resource + "' is not registered in tenant " + tenant.id()
                    + " (a resource must equal one of the tenant's resources exactly)");
        }
    }

    private static OAuthException invalidTarget(String description) {
        return new OAuthException(OAuthError.INVALID_TARGET, description);
    }
}
