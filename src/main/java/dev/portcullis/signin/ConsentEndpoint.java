package dev.portcullis.signin;

import dev.portcullis.protocol.FormParameters;
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
        Optional<SignInSupport.PostedForm> posted = support.accept(ctx, "consent", "Consent expired", true, authorize);
        if (posted.isEmpty()) {
            return;
        }
        Realm realm = posted.get().realm();
        FormParameters form = posted.get().form();
        AuthorizationRequest request = posted.get().request();
        String decision = form.get("decision").orElse("");
        if (decision.equals("deny")) {
            authorize.fail(ctx, realm, request, "access_denied", "the user denied the request");
            return;
        }
        if (!decision.equals("allow")) {
            support.badRequest(ctx, realm, "Choose Allow or Deny.");
            return;
        }
        BrowserSessions.Session session = posted.get().session().orElseThrow();
        String subjectId = session.subjectId().orElseThrow();
        consents.grant(realm, subjectId, request.client().clientId(), request.scope().names(), support.now());
        // a pushed request's prompt=consent stays on the server: going back to the authorize endpoint would ask again
        boolean completeNow = request.pushed().isPresent() || !request.client().mayReuseConsent(request.redirectUri());
        if (completeNow && authorize.completeAfterConsent(ctx, realm, request, session)) {
            return;
        }
        Redirects.seeOther(ctx, request.returnPath("login", "consent"));
    }
}
