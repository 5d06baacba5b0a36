package dev.portcullis.signin;

import dev.portcullis.client.ConsentMode;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.token.AuthorizationCodes;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET {realm}/oauth2/authorize}: validates the request, then shows the login page, the
 * consent page, or redirects to the client with a code, as the session and remembered consent allow.
 */
public final class AuthorizeEndpoint {

    private final SignInSupport support;
    private final SubjectDirectory subjects;
    private final Consents consents;
    private final AuthorizationCodes codes;

    AuthorizeEndpoint(SignInSupport support, SubjectDirectory subjects, Consents consents, AuthorizationCodes codes) {
        this.support = support;
        this.subjects = subjects;
        this.consents = consents;
        this.codes = codes;
    }

    public void handle(Context ctx) {
        Optional<Realm> found = support.realm(ctx);
        if (found.isEmpty()) {
            return;
        }
        Realm realm = found.get();
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(realm, ctx.queryString(), support.clients);
        } catch (AuthorizationError e) {
            respond(ctx, realm, e);
            return;
        }
        Optional<BrowserSessions.Session> session = support.session(ctx, realm);
        Optional<Subject> subject = session.flatMap(BrowserSessions.Session::subjectId)
                .flatMap(id -> subjects.findActive(realm.tenant().id(), realm.type(), id));
        if (subject.isEmpty() || request.prompt().contains("login")) {
            if (request.prompt().contains("none")) {
                respond(ctx, realm, AuthorizationError.redirect(request.redirectUri(), request.state(), "login_required",
                        "the user is not signed in"));
                return;
            }
            showLogin(ctx, realm, request, support.loginCsrf(ctx, realm, session), "", null, 200);
            return;
        }
        boolean consentNeeded = request.client().consent() == ConsentMode.REQUIRED
                && (request.prompt().contains("consent") || !request.client().mayReuseConsent(request.redirectUri())
                || !consents.covers(realm, subject.get().id(), request.client().clientId(), request.scope().names()));
        if (consentNeeded) {
            if (request.prompt().contains("none")) {
                respond(ctx, realm, AuthorizationError.redirect(request.redirectUri(), request.state(), "consent_required",
                        "the user has not allowed this application yet"));
                return;
            }
            showConsent(ctx, realm, request, session.orElseThrow(), subject.get());
            return;
        }
        issueCode(ctx, realm, request, subject.get());
    }

    /**
     * Finishes a sign-in right after the user allowed it, for clients whose consent cannot be
     * reused (going back to the authorize endpoint would only ask again); false when the account
     * is no longer active, and the caller should start over.
     */
    boolean completeAfterConsent(Context ctx, Realm realm, AuthorizationRequest request, String subjectId) {
        Optional<Subject> subject = subjects.findActive(realm.tenant().id(), realm.type(), subjectId);
        subject.ifPresent(s -> issueCode(ctx, realm, request, s));
        return subject.isPresent();
    }

    private void issueCode(Context ctx, Realm realm, AuthorizationRequest request, Subject subject) {
        String code = codes.create(new AuthorizationCodes.NewCode(realm.tenant().id(), realm.type(), request.client().clientId(),
                request.redirectUri(), subject.id(), request.scope().toParameter(), request.codeChallenge(), request.nonce()),
                support.now());
        Redirects.toClient(ctx, request.redirectUri(), Map.of("code", code), request.state(), support.issuer(realm));
    }

    void respond(Context ctx, Realm realm, AuthorizationError error) {
        if (error.redirectUri().isPresent()) {
            Redirects.error(ctx, error, support.issuer(realm));
        } else {
            support.badRequest(ctx, realm, error.description());
        }
    }

    void showLogin(Context ctx, Realm realm, AuthorizationRequest request, String csrf, String identifier,
                   String error, int status) {
        boolean users = realm.type() == RealmType.USER;
        support.pages.render(ctx, status, "login.jte", new LoginView(realm.tenant().name(), SignInSupport.realmLabel(realm),
                request.client().name(), realm.basePath() + "/login", csrf, request.returnPath("login"),
                users ? "Username" : "Email", users ? "username" : "email", users ? "text" : "email", identifier, error),
                Optional.of(request.redirectUri()));
    }

    private void showConsent(Context ctx, Realm realm, AuthorizationRequest request, BrowserSessions.Session session, Subject subject) {
        List<ConsentView.ScopeLine> scopes = request.scope().names().stream()
                .map(name -> new ConsentView.ScopeLine(name, realm.tenant().scope(name).map(s -> s.description()).orElse(null)))
                .toList();
        String account = subject.username().or(subject::email).orElse(subject.id());
        support.pages.render(ctx, 200, "consent.jte", new ConsentView(realm.tenant().name(), request.client().name(), account,
                scopes, realm.basePath() + "/consent", session.csrfToken(), request.returnPath("login", "consent")),
                Optional.of(request.redirectUri()));
    }
}
