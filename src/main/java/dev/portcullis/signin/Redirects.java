package dev.portcullis.signin;

import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the redirects back to a client: the authorization response and its errors (with RFC 9207 iss). */
final class Redirects {

    private Redirects() {
    }

    static String append(String uri, Map<String, String> params) {
        StringBuilder target = new StringBuilder(uri);
        char separator = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            target.append(separator).append(param.getKey()).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return target.toString();
    }

    static void toClient(Context ctx, String redirectUri, Map<String, String> params, Optional<String> state, String issuer) {
        Map<String, String> all = new LinkedHashMap<>(params);
        state.ifPresent(s -> all.put("state", s));
        all.put("iss", issuer);
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(append(redirectUri, all), io.javalin.http.HttpStatus.FOUND);
    }

    static void error(Context ctx, AuthorizationError error, String issuer) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error.code());
        params.put("error_description", error.description());
        toClient(ctx, error.redirectUri().orElseThrow(), params, error.state(), issuer);
    }

    /** A 303 back into this server after a form post (login, consent). */
    static void seeOther(Context ctx, String path) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
    }
}
