package dev.portcullis.signin;

import dev.portcullis.client.ClientDirectory;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.TenantDirectory;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

/** What the sign-in endpoints share: realm lookup, page errors, form reading, CSRF and return_to checks. */
final class SignInSupport {

    private static final int MAX_FORM_BYTES = 16 * 1024;

    final TenantDirectory tenants;
    final ClientDirectory clients;
    final BrowserSessions sessions;
    final SessionCookie cookie;
    final PreLoginCsrf preLogin;
    final HtmlPages pages;
    final Clock clock;
    final String publicUrl;
    final ResourceIndicators resources;

    SignInSupport(TenantDirectory tenants, ClientDirectory clients, BrowserSessions sessions, SessionCookie cookie,
                  PreLoginCsrf preLogin, HtmlPages pages, Clock clock, String publicUrl, ResourceIndicators resources) {
        this.tenants = tenants;
        this.clients = clients;
        this.sessions = sessions;
        this.cookie = cookie;
        this.preLogin = preLogin;
        this.pages = pages;
        this.clock = clock;
        this.publicUrl = publicUrl;
        this.resources = resources;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    /** The realm of the request, or a 404 page (and empty). */
    Optional<Realm> realm(Context ctx) {
        Optional<Realm> realm = tenants.realm(ctx.pathParam("realm"));
        if (realm.isEmpty()) {
            pages.message(ctx, 404, "Portcullis", "Not found", "There is no such tenant or realm here.");
        }
        return realm;
    }

    String issuer(Realm realm) {
        return realm.issuer(publicUrl);
    }

    static String realmLabel(Realm realm) {
        return realm.type() == RealmType.USER ? "Agent" : "Customer";
    }

    void badRequest(Context ctx, Realm realm, String message) {
        pages.message(ctx, 400, realm.tenant().name(), "Something went wrong", message);
    }

    Optional<BrowserSessions.Session> session(Context ctx, Realm realm) {
        return sessions.find(realm, cookie.read(ctx), now());
    }

    /**
     * The login form's CSRF token: the session's own, or for a visitor without a session the
     * pre-login token of the cookie, setting a fresh cookie when the browser holds none usable.
     * Either way nothing is written to the database before the user signs in.
     */
    String loginCsrf(Context ctx, Realm realm, Optional<BrowserSessions.Session> session) {
        if (session.isPresent()) {
            return session.get().csrfToken();
        }
        String cookieValue = PreLoginCsrf.heldCookieValue(cookie.read(ctx)).orElseGet(() -> {
            String fresh = PreLoginCsrf.newCookieValue();
            cookie.set(ctx, realm, fresh);
            return fresh;
        });
        return preLogin.token(realm, cookieValue);
    }

    /** Reads a posted form; throws a page-worthy message when it is not one. */
    static FormParameters readForm(Context ctx) {
        String type = Optional.ofNullable(ctx.header("Content-Type")).orElse("");
        if (!type.split(";", -1)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("the form was not sent as application/x-www-form-urlencoded");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                throw OAuthException.invalidRequest("the form is too large");
            }
            return FormParameters.parse(body);
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the form could not be read");
        }
    }

    static boolean csrfMatches(FormParameters form, BrowserSessions.Session session) {
        String sent = form.get("csrf").orElse("");
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A sign-in form that passed every check: readable, valid authorize request, and the CSRF token
     * ({@code csrf}) of the live session, or of the pre-login cookie when there is no session.
     */
    record PostedForm(Realm realm, FormParameters form, Optional<BrowserSessions.Session> session, String csrf,
                      AuthorizationRequest request) {
    }

    /**
     * Reads and checks a posted login or consent form. On any failure the response is already
     * written (an error page, or an error redirect to the client) and the result is empty.
     */
    Optional<PostedForm> accept(Context ctx, String formName, String expiredTitle, boolean requireSignedIn,
                                AuthorizeEndpoint authorize) {
        Optional<Realm> found = realm(ctx);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Realm realm = found.get();
        FormParameters form;
        try {
            form = readForm(ctx);
        } catch (OAuthException e) {
            badRequest(ctx, realm, "The " + formName + " form could not be read: " + e.description() + ".");
            return Optional.empty();
        }
        Optional<BrowserSessions.Session> session = session(ctx, realm)
                .filter(s -> !requireSignedIn || s.isAuthenticated());
        String sent = form.get("csrf").orElse("");
        boolean csrfValid = session.isPresent() ? csrfMatches(form, session.get())
                : !requireSignedIn && preLogin.matches(realm, cookie.read(ctx), sent);
        if (!csrfValid) {
            pages.message(ctx, 403, realm.tenant().name(), expiredTitle, "This " + formName
                    + " form has expired or was not sent by this site. Go back to the application and sign in again.");
            return Optional.empty();
        }
        try {
            return Optional.of(new PostedForm(realm, form, session, sent, returnTo(form, realm)));
        } catch (AuthorizationError e) {
            authorize.respond(ctx, realm, e);
            return Optional.empty();
        }
    }

    /** The authorize request a form carries back, which must be this realm's authorize endpoint. */
    AuthorizationRequest returnTo(FormParameters form, Realm realm) {
        String returnTo = form.get("return_to").orElse("");
        String prefix = realm.basePath() + "/oauth2/authorize?";
        if (!returnTo.startsWith(prefix)) {
            throw AuthorizationError.page("The form did not say which sign-in it belongs to. Start again from the application.");
        }
        return AuthorizationRequest.parse(realm, returnTo.substring(prefix.length()), clients, resources);
    }
}
