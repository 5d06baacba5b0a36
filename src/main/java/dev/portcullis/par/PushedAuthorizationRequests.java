package dev.portcullis.par;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.dpop.DpopProofs;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.signin.PushedRequests;
import dev.portcullis.web.CorsPolicy;
import io.javalin.Javalin;

/**
 * Pushed Authorization Requests (RFC 9126): {@code POST {realm}/oauth2/par}. A client authenticates and pushes its
 * authorization parameters, which are validated as the authorize endpoint validates them and stored; it gets a
 * one-time {@code request_uri} to send the browser to the authorize endpoint with. The sign-in pages resolve it
 * ({@link PushedRequests}), and refuse plain requests where the tenant or client requires pushing.
 */
public final class PushedAuthorizationRequests implements Feature {

    private final ParEndpoint endpoint;

    public PushedAuthorizationRequests(Core core) {
        this.endpoint = new ParEndpoint(core.tenants(), core.clients(), core.clientAuthenticator(), new PushedRequests(core.sql()),
                new CorsPolicy(core.clientRepository(), core.lookups()), core.clock(),
                new ResourceIndicators(core.config().apiUrl()), DpopProofs.of(core));
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        app.post(realmBase + "/oauth2/par", endpoint::handle);
        app.options(realmBase + "/oauth2/par", endpoint::preflight);
    }
}
