package dev.portcullis.signin;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

import java.util.Optional;

/** {@code POST {realm}/consent}: Allow remembers the consent and resumes the sign-in; Deny returns access_denied. */
public final class ConsentEndpoint {

    private final SignInSupport support;
    private final AuthorizeEndpoint authorize;
    private final Consents consents;

    ConsentEndpoint(SignInSupport support, AuthorizeEndpoint authorize, Consents consents) {
        this.support = support;
        this.authorize = authorize;
        this.consents = consents;
    }

    public void handle(Context ctx) {
        Optional<Realm> found = support.realm(ctx);
        if (found.isEmpty()) {
            return;
        }
        Realm realm = found.get();
        FormParameters form;
        try {
            form = SignInSupport.readForm(ctx);
        } catch (OAuthException e) {
            support.badRequest(ctx, realm, "The consent form could not be read: " + e.description() + ".");
            return;
        }
        Optional<BrowserSessions.Session> session = support.session(ctx, realm).filter(BrowserSessions.Session::isAuthenticated);
        if (session.isEmpty() || !SignInSupport.csrfMatches(form, session.get())) {
            support.pages.message(ctx, 403, realm.tenant().name(), "Consent expired",
                    "This consent form has expired or was not sent by this site. Go back to the application and sign in again.");
            return;
        }
        AuthorizationRequest request;
        try {
            request = support.returnTo(form, realm);
        } catch (AuthorizationError e) {
            authorize.respond(ctx, realm, e);
            return;
        }
        String decision = form.get("decision").orElse("");
        if (decision.equals("deny")) {
            authorize.respond(ctx, realm, AuthorizationError.redirect(request.redirectUri(), request.state(), "access_denied",
                    "the user denied the request"));
            return;
        }
        if (!decision.equals("allow")) {
            support.badRequest(ctx, realm, "Choose Allow or Deny.");
            return;
        }
        consents.grant(realm, session.get().subjectId().orElseThrow(), request.client().clientId(), request.scope().names(),
                support.now());
        Redirects.seeOther(ctx, request.returnPath("login", "consent"));
    }
}
