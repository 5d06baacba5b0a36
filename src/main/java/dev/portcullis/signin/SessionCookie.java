package dev.portcullis.signin;

import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

/**
 * The session cookie, one per realm (scoped by path): HttpOnly, SameSite=Lax, and Secure when the
 * public URL is https. Before sign-in it holds a random value that names no session, which the
 * login form's CSRF token is bound to ({@link PreLoginCsrf}); sign-in replaces it by a session id.
 */
final class SessionCookie {

    static final String NAME = "portcullis_session";

    private final boolean secure;
    private final long maxAge;

    SessionCookie(boolean secure, long maxAge) {
        this.secure = secure;
        this.maxAge = maxAge;
    }

    String read(Context ctx) {
        return ctx.cookie(NAME);
    }

    void set(Context ctx, Realm realm, String value) {
        ctx.res().addHeader("Set-Cookie", NAME + "=" + value + "; Path=" + realm.basePath() + "; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    void clear(Context ctx, Realm realm) {
        ctx.res().addHeader("Set-Cookie", NAME + "=; Path=" + realm.basePath() + "; Max-Age=0; HttpOnly; SameSite=Lax"
                + (secure ? "; Secure" : ""));
    }
}
