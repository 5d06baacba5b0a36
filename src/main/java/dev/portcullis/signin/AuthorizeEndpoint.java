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
 * The user signs in (again) when there is no session, for {@code prompt=login}, when the last
 * password entry is older than {@code max_age}, and when an {@code id_token_hint} names someone else;
 * with {@code prompt=none} each of these is a {@code login_required} redirect instead of a page.
 */
public final class AuthorizeEndpoint {

    private final SignInSupport support;
    private final SubjectDirectory subjects;
    private final Consents consents;
    private final AuthorizationCodes codes;
    private final IdTokenHints hints;
    private final SessionIdentifiers sessionIds;

    AuthorizeEndpoint(SignInSupport support, SubjectDirectory subjects, Consents consents, AuthorizationCodes codes,
                      IdTokenHints hints, SessionIdentifiers sessionIds) {
        this.support = support;
        this.subjects = subjects;
        this.consents = consents;
        this.codes = codes;
        this.hints = hints;
        this.sessionIds = sessionIds;
    }

    public void handle(Context ctx) {
        Optional<Realm> found = support.realm(ctx);
        if (found.isEmpty()) {
            return;
        }
        Realm realm = found.get();
        AuthorizationRequest request;
        try {
            request = support.requests.resolve(realm, ctx.queryString(), true, support.now());
        } catch (AuthorizationError e) {
            respond(ctx, realm, e);
            return;
        }
        if (request.pushed().filter(PushedRequests.Pushed::claimedNow).isPresent()) {
            // the request_uri the client holds is spent; the address bar takes the handle this browser alone holds
            Redirects.seeOther(ctx, request.returnPath());
            return;
        }
        Optional<IdTokenHints.Hint> hint = Optional.empty();
        if (request.idTokenHint().isPresent()) {
            hint = hints.verify(realm, request.idTokenHint().get());
            if (hint.isEmpty()) {
                fail(ctx, realm, request, "invalid_request", "id_token_hint is not an ID token issued by this realm");
                return;
            }
        }
        Optional<BrowserSessions.Session> session = support.session(ctx, realm);
        Optional<Subject> subject = session.flatMap(BrowserSessions.Session::subjectId)
                .flatMap(id -> subjects.findActive(realm.tenant().id(), realm.type(), id));
        // a pushed request's parameters cannot be dropped from the URL once served, so the server remembers the sign-in
        boolean signedInForIt = request.signedInForPushed();
        Optional<String> loginReason = subject.isEmpty() ? Optional.of("the user is not signed in")
                : signedInForIt ? Optional.empty()
                : request.prompt().contains("login") ? Optional.of("prompt=login asks for a new sign-in")
                : tooOld(request, session.get()) ? Optional.of("the last sign-in is older than max_age")
                : hint.filter(h -> !h.subjectId().equals(subject.get().id())).isPresent()
                ? Optional.of("id_token_hint names another user than the one signed in")
                : Optional.empty();
        if (loginReason.isPresent()) {
            if (request.prompt().contains("none")) {
                fail(ctx, realm, request, "login_required", loginReason.get());
                return;
            }
            showLogin(ctx, realm, request, support.loginCsrf(ctx, realm, session), request.loginHint().orElse(""), null, 200);
            return;
        }
        // A first-party (consent: skip) client's users are never asked, prompt=consent included: the tenant decided for them.
        boolean consentNeeded = request.client().consent() == ConsentMode.REQUIRED
                && (request.prompt().contains("consent") || !request.client().mayReuseConsent(request.redirectUri())
                || !consents.covers(realm, subject.get().id(), request.client().clientId(), request.scope().names()));
        if (consentNeeded) {
            if (request.prompt().contains("none")) {
                fail(ctx, realm, request, "consent_required", "the user has not allowed this application yet");
                return;
            }
            showConsent(ctx, realm, request, session.orElseThrow(), subject.get());
            return;
        }
        issueCode(ctx, realm, request, subject.get(), session.get());
    }

    /** Whether the user last entered a password longer ago than the request's max_age allows. */
    private boolean tooOld(AuthorizationRequest request, BrowserSessions.Session session) {
        if (request.maxAge().isEmpty()) {
            return false;
        }
        long authenticatedAt = session.authenticatedAt().orElse(session.createdAt());
        // max_age=0 means "enter the password now", whatever the clock's resolution; the login drops it from the return path
        return request.maxAge().getAsLong() == 0 || support.now() - authenticatedAt > request.maxAge().getAsLong();
    }

    /**
     * Finishes a sign-in right after the user allowed it, for clients whose consent cannot be
     * reused (going back to the authorize endpoint would only ask again); false when the account
     * is no longer active, and the caller should start over.
     */
    boolean completeAfterConsent(Context ctx, Realm realm, AuthorizationRequest request, BrowserSessions.Session session) {
        Optional<Subject> subject = session.subjectId().flatMap(id -> subjects.findActive(realm.tenant().id(), realm.type(), id));
        subject.ifPresent(s -> issueCode(ctx, realm, request, s, session));
        return subject.isPresent();
    }

    private void issueCode(Context ctx, Realm realm, AuthorizationRequest request, Subject subject, BrowserSessions.Session session) {
        if (!support.requests.finish(request)) {
            support.badRequest(ctx, realm, "This sign-in has already been completed. Go back to the application.");
            return;
        }
        String code = codes.create(new AuthorizationCodes.NewCode(realm.tenant().id(), realm.type(), request.client().clientId(),
                request.redirectUri(), subject.id(), request.scope().toParameter(), request.codeChallenge(), request.nonce(),
                session.authenticatedAt().orElse(session.createdAt()), sessionIds.of(session), request.resources(),
                request.dpopKey()), support.now());
        Redirects.toClient(ctx, request.redirectUri(), Map.of("code", code), request.state(), support.issuer(realm));
    }

    /** Answers the client with an error, ending the request if it was pushed: its sign-in is over. */
    void fail(Context ctx, Realm realm, AuthorizationRequest request, String code, String description) {
        support.requests.finish(request);
        respond(ctx, realm, AuthorizationError.redirect(request.redirectUri(), request.state(), code, description));
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
                request.client().displayName(), realm.basePath() + "/login", csrf, request.returnPath("login"),
                users ? "Username" : "Email", users ? "username" : "email", users ? "text" : "email", identifier, error),
                Optional.of(request.redirectUri()));
    }

    private void showConsent(Context ctx, Realm realm, AuthorizationRequest request, BrowserSessions.Session session, Subject subject) {
        List<ConsentView.ScopeLine> scopes = request.scope().names().stream()
                .map(name -> new ConsentView.ScopeLine(name, realm.tenant().scope(name).map(s -> s.description()).orElse(null)))
                .toList();
        String account = subject.username().or(subject::email).orElse(subject.id());
        Optional<String> host = request.client().metadataDocumentHost();
        support.pages.render(ctx, 200, "consent.jte", new ConsentView(realm.tenant().name(), request.client().name(), account,
                scopes, realm.basePath() + "/consent", session.csrfToken(), request.returnPath("login", "consent"),
                host.orElse(null), host.isPresent() && request.client().redirectsOnlyToLoopback(),
                request.client().dynamicallyRegistered()),
                Optional.of(request.redirectUri()));
    }
}
