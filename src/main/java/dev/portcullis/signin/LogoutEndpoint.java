package dev.portcullis.signin;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/**
 * {@code {realm}/logout}: ends the realm's session. It returns to {@code post_logout_redirect_uri}
 * only when that is exactly a redirect URI registered for {@code client_id}; otherwise it shows a page.
 */
public final class LogoutEndpoint {

    private final SignInSupport support;

    LogoutEndpoint(SignInSupport support) {
        this.support = support;
    }

    public void handle(Context ctx) {
        Optional<Realm> found = support.realm(ctx);
        if (found.isEmpty()) {
            return;
        }
        Realm realm = found.get();
        support.session(ctx, realm).ifPresent(support.sessions::end);
        support.cookie.clear(ctx, realm);
        Optional<String> target = Optional.ofNullable(ctx.queryParam("post_logout_redirect_uri"))
                .filter(uri -> Optional.ofNullable(ctx.queryParam("client_id"))
                        .filter(id -> id.indexOf('\u0000') < 0)
                        .flatMap(id -> support.clients.find(realm.tenant().id(), id))
                        .filter(ClientApplication::enabled)
                        .map(ClientApplication::redirectUris)
                        .map(uris -> uris.contains(uri))
                        .orElse(false));
        if (target.isPresent()) {
            Optional<String> state = Optional.ofNullable(ctx.queryParam("state"));
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(state.map(s -> Redirects.append(target.get(), Map.of("state", s))).orElse(target.get()),
                    io.javalin.http.HttpStatus.FOUND);
            return;
        }
        support.pages.message(ctx, 200, realm.tenant().name(), "Signed out", "You are signed out. You can close this window.");
    }
}
