package dev.portcullis.signin;

import dev.portcullis.client.ClientDirectory;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.token.AuthorizationCodes;
import dev.portcullis.web.ClientAddress;
import dev.portcullis.token.MasterKey;
import io.javalin.Javalin;

import java.time.Clock;

/** Assembles the interactive sign-in endpoints of every realm and mounts them. */
public final class SignInRoutes {

    private final AuthorizeEndpoint authorize;
    private final LoginEndpoint login;
    private final ConsentEndpoint consent;
    private final LogoutEndpoint logout;

    public SignInRoutes(TenantDirectory tenants, ClientDirectory clients, SubjectDirectory subjects, BrowserSessions sessions,
                        Consents consents, AuthorizationCodes codes, LoginThrottle throttle, ClientAddress clientAddress,
                        MasterKey masterKey, Clock clock, String publicUrl) {
        SignInSupport support = new SignInSupport(tenants, clients, sessions,
                new SessionCookie(publicUrl.startsWith("https://"), sessions.absoluteTimeout()),
                new PreLoginCsrf(masterKey.derive("login-csrf")), new HtmlPages(), clock, publicUrl);
        this.authorize = new AuthorizeEndpoint(support, subjects, consents, codes);
        this.login = new LoginEndpoint(support, authorize, subjects, throttle, clientAddress);
        this.consent = new ConsentEndpoint(support, authorize, consents);
        this.logout = new LogoutEndpoint(support, IdTokenHints.NONE_ISSUED);
    }

    public void mount(Javalin app, String realmBase) {
        app.get(realmBase + "/oauth2/authorize", authorize::handle);
        app.post(realmBase + "/login", login::handle);
        app.post(realmBase + "/consent", consent::handle);
        app.get(realmBase + "/logout", logout::handleGet);
        app.post(realmBase + "/logout", logout::handlePost);
    }
}
