package dev.portcullis.signin;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code {realm}/logout}, after OpenID RP-Initiated Logout 1.0. A request with an {@code id_token_hint}
 * that this realm issued for the signed-in user ends the session at once (an expired hint counts);
 * any other request needs the user's confirmation, on a page whose form posts back with the session's
 * CSRF token, so another site cannot sign the user out with an image tag. Afterwards it returns to
 * {@code post_logout_redirect_uri} only when that is exactly a URI registered for the enabled client
 * ({@code client_id}, or the hint's audience; see {@link ClientApplication#acceptsPostLogoutRedirectUri}),
 * with {@code state}; otherwise it shows "Signed out".
 */
public final class LogoutEndpoint {

    private final SignInSupport support;
    private final IdTokenHints hints;

    LogoutEndpoint(SignInSupport support, IdTokenHints hints) {
        this.support = support;
        this.hints = hints;
    }

    /** What the request asks for, its client and return address already checked against the registration. */
    private record LogoutRequest(Optional<IdTokenHints.Hint> hint, Optional<ClientApplication> client, Optional<String> returnUri,
                                 Optional<String> state) {
    }

    public void handleGet(Context ctx) {
        support.realm(ctx).ifPresent(realm -> askOrEnd(ctx, realm, parse(realm, name -> Optional.ofNullable(ctx.queryParam(name)))));
    }

    public void handlePost(Context ctx) {
        Optional<Realm> found = support.realm(ctx);
        if (found.isEmpty()) {
            return;
        }
        Realm realm = found.get();
        FormParameters form;
        try {
            form = SignInSupport.readForm(ctx);
        } catch (OAuthException e) {
            support.badRequest(ctx, realm, "The sign-out form could not be read: " + e.description() + ".");
            return;
        }
        LogoutRequest request = parse(realm, form::get);
        if (form.get("csrf").isEmpty()) {
            // RP-Initiated Logout lets the client POST its request too; that is not the user's confirmation.
            askOrEnd(ctx, realm, request);
            return;
        }
        Optional<BrowserSessions.Session> session = signedIn(ctx, realm);
        if (session.isPresent() && !SignInSupport.csrfMatches(form, session.get())) {
            support.pages.message(ctx, 403, realm.tenant().name(), "Sign-out expired", "This sign-out form has expired or "
                    + "was not sent by this site, so you are still signed in. Sign out again from the application.");
            return;
        }
        session.ifPresent(s -> end(ctx, realm, s));
        finish(ctx, realm, request);
    }

    /** A logout request from a client (or any page): ends the session only for a valid hint, else asks the user. */
    private void askOrEnd(Context ctx, Realm realm, LogoutRequest request) {
        Optional<BrowserSessions.Session> session = signedIn(ctx, realm);
        if (session.isEmpty()) {
            // Nothing to end, so nothing to confirm.
            finish(ctx, realm, request);
            return;
        }
        boolean hintNamesThisUser = request.hint().map(IdTokenHints.Hint::subjectId)
                .filter(subject -> session.get().subjectId().filter(subject::equals).isPresent()).isPresent();
        if (hintNamesThisUser) {
            end(ctx, realm, session.get());
            finish(ctx, realm, request);
            return;
        }
        support.pages.render(ctx, 200, "logout.jte", new LogoutView(realm.tenant().name(), realm.basePath() + "/logout",
                session.get().csrfToken(), request.client().map(ClientApplication::name).orElse(null),
                request.client().map(ClientApplication::clientId).orElse(null), request.returnUri().orElse(null),
                request.returnUri().flatMap(uri -> request.state()).orElse(null)), request.returnUri());
    }

    private Optional<BrowserSessions.Session> signedIn(Context ctx, Realm realm) {
        return support.session(ctx, realm).filter(BrowserSessions.Session::isAuthenticated);
    }

    private void end(Context ctx, Realm realm, BrowserSessions.Session session) {
        support.sessions.end(session);
        support.cookie.clear(ctx, realm);
    }

    private void finish(Context ctx, Realm realm, LogoutRequest request) {
        if (request.returnUri().isPresent()) {
            String target = request.returnUri().get();
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(request.state().map(s -> Redirects.append(target, Map.of("state", s))).orElse(target), HttpStatus.FOUND);
            return;
        }
        support.pages.message(ctx, 200, realm.tenant().name(), "Signed out", "You are signed out. You can close this window.");
    }

    private LogoutRequest parse(Realm realm, Function<String, Optional<String>> parameter) {
        Optional<String> clientId = parameter.apply("client_id").filter(LogoutEndpoint::noNul);
        // A hint names its client: it is only valid together with a client_id that names the same one.
        Optional<IdTokenHints.Hint> hint = parameter.apply("id_token_hint").filter(LogoutEndpoint::noNul)
                .flatMap(token -> hints.verify(realm, token))
                .filter(h -> clientId.map(h.clientId()::equals).orElse(true));
        Optional<ClientApplication> client = clientId.or(() -> hint.map(IdTokenHints.Hint::clientId))
                .flatMap(id -> support.clients.find(realm.tenant().id(), id))
                .filter(ClientApplication::enabled);
        Optional<String> returnUri = parameter.apply("post_logout_redirect_uri")
                .filter(uri -> client.map(c -> c.acceptsPostLogoutRedirectUri(uri)).orElse(false));
        return new LogoutRequest(hint, client, returnUri, parameter.apply("state"));
    }

    private static boolean noNul(String value) {
        return value.indexOf('\u0000') < 0;
    }
}
