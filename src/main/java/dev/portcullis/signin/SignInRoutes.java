package dev.portcullis.signin;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.oidc.IdTokenHintVerifier;
import io.javalin.Javalin;

/** Assembles the interactive sign-in endpoints of every realm and mounts them. */
public final class SignInRoutes implements Feature {

    private final AuthorizeEndpoint authorize;
    private final LoginEndpoint login;
    private final ConsentEndpoint consent;
    private final LogoutEndpoint logout;
    private final UnavailablePages unavailable;

    public SignInRoutes(Core core) {
        ServerConfig config = core.config();
        BrowserSessions sessions = new BrowserSessions(core.sql(), config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());
        AuthorizationRequests requests = new AuthorizationRequests(core.clients(), new PushedRequests(core.sql()),
                new ResourceIndicators(config.apiUrl()));
        SignInSupport support = new SignInSupport(core.tenants(), core.clients(), requests, sessions,
                new SessionCookie(core.publicUrl().startsWith("https://"), sessions.absoluteTimeout()),
                new PreLoginCsrf(core.masterKey().derive("login-csrf")), new HtmlPages(), core.clock(), core.publicUrl());
        Consents consents = new Consents(core.sql());
        IdTokenHints hints = new IdTokenHintVerifier(core.keys(), core.publicUrl());
        this.authorize = new AuthorizeEndpoint(support, core.subjects(), consents, core.codes(), hints,
                new SessionIdentifiers(core.masterKey().derive("oidc-session-id")));
        this.login = new LoginEndpoint(support, authorize, core.subjects(),
                new LoginThrottle(core.sql(), core.masterKey().derive("login-log-account")), core.clientAddress());
        this.consent = new ConsentEndpoint(support, authorize, consents);
        this.logout = new LogoutEndpoint(support, hints);
        this.unavailable = new UnavailablePages(support.pages, core.tenants());
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        app.get(realmBase + "/oauth2/authorize", unavailable.whenAvailable(authorize::handle));
        app.post(realmBase + "/login", unavailable.whenAvailable(login::handle));
        app.post(realmBase + "/consent", unavailable.whenAvailable(consent::handle));
        app.get(realmBase + "/logout", unavailable.whenAvailable(logout::handleGet));
        app.post(realmBase + "/logout", unavailable.whenAvailable(logout::handlePost));
    }
}
