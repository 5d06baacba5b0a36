package dev.portcullis.signin;

import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.web.ClientAddress;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST {realm}/login}: checks the CSRF token and the password (Argon2id), counts the
 * attempt with {@link LoginThrottle} before the check (refusing it while a delay runs), and on
 * success creates the signed-in session (under a new id, replacing any previous session) and
 * returns to the authorize request. Unknown account and wrong password read the same; a failure
 * writes no session.
 */
public final class LoginEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger("portcullis.audit");

    private final SignInSupport support;
    private final AuthorizeEndpoint authorize;
    private final SubjectDirectory subjects;
    private final LoginThrottle throttle;
    private final ClientAddress clientAddress;

    LoginEndpoint(SignInSupport support, AuthorizeEndpoint authorize, SubjectDirectory subjects, LoginThrottle throttle,
                  ClientAddress clientAddress) {
        this.support = support;
        this.authorize = authorize;
        this.subjects = subjects;
        this.throttle = throttle;
        this.clientAddress = clientAddress;
    }

    public void handle(Context ctx) {
        Optional<SignInSupport.PostedForm> posted = support.accept(ctx, "sign-in", "Sign-in expired", false, authorize);
        if (posted.isEmpty()) {
            return;
        }
        Realm realm = posted.get().realm();
        FormParameters form = posted.get().form();
        Optional<BrowserSessions.Session> session = posted.get().session();
        String csrf = posted.get().csrf();
        AuthorizationRequest request = posted.get().request();
        boolean users = realm.type() == RealmType.USER;
        String identifier = form.get(users ? "username" : "email").orElse("").trim();
        String password = form.get("password").orElse("");
        String account = realm.id() + ":" + identifier.toLowerCase(Locale.ROOT);
        String address = clientAddress.of(ctx);
        long now = support.now();

        LoginThrottle.Attempt attempt = throttle.begin(realm.tenant().loginThrottle(), realm.tenant().id(), account,
                ClientAddress.throttleKey(address), now);
        if (attempt.refused()) {
            ctx.header("Retry-After", String.valueOf(attempt.retryAfter()));
            authorize.showLogin(ctx, realm, request, csrf, identifier,
                    "Too many failed sign-in attempts. Try again in " + attempt.retryAfter() + " seconds.", 429);
            return;
        }
        Optional<Subject> subject = identifier.isEmpty() ? Optional.empty() : subjects.find(new SubjectLookup(
                realm.tenant().id(), realm.type(), users ? SubjectLookup.By.USERNAME : SubjectLookup.By.EMAIL, identifier));
        boolean verified;
        try {
            verified = subject.filter(Subject::enabled).flatMap(Subject::passwordHash)
                    .map(hash -> PasswordHasher.verify(password, hash))
                    .orElseGet(() -> PasswordHasher.verifyAgainstDummy(password));
        } catch (PasswordHasher.Busy busy) {
            throttle.abandoned(attempt);
            LOG.warn("login_busy realm={} address={}: password checks are queued past their timeout", realm.id(), address);
            ctx.header("Retry-After", "5");
            authorize.showLogin(ctx, realm, request, csrf, identifier,
                    "Sign-in is busy right now. Try again in a few seconds.", 503);
            return;
        }
        if (!verified) {
            LOG.info("login_failed realm={} client={} address={}", realm.id(), request.client().clientId(), address);
            authorize.showLogin(ctx, realm, request, csrf, identifier,
                    users ? "Incorrect username or password." : "Incorrect email or password.", 401);
            return;
        }
        throttle.succeeded(attempt);
        BrowserSessions.Issued signedIn = support.sessions.signIn(session, realm, subject.get().id(), now);
        support.cookie.set(ctx, realm, signedIn.cookieValue());
        support.requests.signedIn(request, now);
        LOG.info("login_succeeded realm={} client={} subject={} address={}", realm.id(), request.client().clientId(),
                subject.get().id(), address);
        Redirects.seeOther(ctx, request.returnPath("login"));
    }
}
