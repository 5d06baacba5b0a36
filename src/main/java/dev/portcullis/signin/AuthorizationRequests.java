package dev.portcullis.signin;

import dev.portcullis.client.ClientDirectory;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;

import java.util.Optional;

/**
 * Finds the authorization request an authorize URL stands for: its own query, or with {@code request_uri} the
 * parameters the client pushed (RFC 9126 section 4), used alone, so nothing in the URL can change them. A plain
 * request is refused when the tenant or the client requires pushed requests (RFC 9126 section 5).
 */
final class AuthorizationRequests {

    private final ClientDirectory clients;
    private final PushedRequests pushed;
    private final ResourceIndicators resources;

    AuthorizationRequests(ClientDirectory clients, PushedRequests pushed, ResourceIndicators resources) {
        this.clients = clients;
        this.pushed = pushed;
        this.resources = resources;
    }

    /**
     * @param mayClaim whether a request_uri's first use may happen here: only on the authorize endpoint itself, not
     *                 in the login and consent forms, which carry the handle the first use gave the browser
     */
    AuthorizationRequest resolve(Realm realm, String rawQuery, boolean mayClaim, long now) {
        String query = rawQuery == null ? "" : rawQuery;
        FormParameters params = AuthorizationRequest.parameters(query);
        Optional<String> requestUri = params.get("request_uri");
        if (requestUri.isPresent()) {
            // RFC 9126 section 4: the client_id in the URL must be the one that pushed the request
            String clientId = params.get("client_id").orElseThrow(() ->
                    AuthorizationError.page("The sign-in link has a request_uri but no client_id."));
            PushedRequests.Pushed found = pushed.resolve(realm, clientId, requestUri.get(), mayClaim, now);
            return AuthorizationRequest.parse(realm, found.parameters(), clients, resources).pushedAs(found);
        }
        AuthorizationRequest request = AuthorizationRequest.parse(realm, query, clients, resources);
        boolean tenantRequires = realm.tenant().authorization().requirePar();
        if (tenantRequires || request.client().requirePar()) {
            throw AuthorizationError.redirect(request.redirectUri(), request.state(), "invalid_request",
                    (tenantRequires ? "tenant " + realm.tenant().id() : "client '" + request.client().clientId() + "'")
                            + " requires pushed authorization requests: push the parameters to " + realm.basePath()
                            + "/oauth2/par and send only client_id and the request_uri it returns (RFC 9126)");
        }
        return request;
    }

    /** Records that the user signed in for a pushed request. */
    void signedIn(AuthorizationRequest request, long now) {
        request.pushed().ifPresent(p -> pushed.markSignedIn(p.handle(), now));
    }

    /** Ends a pushed request as its sign-in answers the client; false if another answer ended it first. */
    boolean finish(AuthorizationRequest request) {
        return request.pushed().map(p -> pushed.consume(p.handle())).orElse(true);
    }
}
