package dev.portcullis.ops;

import dev.portcullis.ops.OpsHttp.Jar;
import dev.portcullis.ops.OpsHttp.Reply;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.ops.OpsHttp.fields;

/**
 * The OAuth requests of the ops tenant against one base URL (an instance or the balancer): what a client and a
 * browser send, step by step, returning each reply so that the caller decides what counts as a failure.
 */
public final class Flows {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OpsHttp http;

    public Flows(OpsHttp http) {
        this.http = http;
    }

    public OpsHttp http() {
        return http;
    }

    public Reply clientCredentials(String base, String clientId, String secret, String scope) {
        return http.postForm(base + OpsTenant.tokenPath(), fields("grant_type", "client_credentials", "scope", scope),
                Map.of("Authorization", OpsHttp.basic(clientId, secret)));
    }

    public Reply clientCredentials(String base) {
        return clientCredentials(base, OpsTenant.WEB, OpsTenant.WEB_SECRET, OpsTenant.APP_SCOPE);
    }

    /** eGain's On-Behalf-Of request (grant_type=password with subject_username and no password). */
    public Reply onBehalfOf(String base, String username) {
        return http.postForm(base + OpsTenant.tokenPath(), fields("grant_type", "password", "client_id", OpsTenant.WEB,
                "client_secret", OpsTenant.WEB_SECRET, "scope", OpsTenant.OBO_SCOPE, "subject_username", username));
    }

    /** A code and the PKCE verifier it needs; or, when the sign-in failed, the step's reply that failed it. */
    public record SignIn(Optional<String> code, String verifier, String step, Reply reply, Jar jar) {
        public boolean ok() {
            return code.isPresent();
        }
    }

    /**
     * A whole browser sign-in with PKCE: authorize (login page), the login form, authorize again with the session
     * (consent is skipped for the ops clients), up to the redirect that carries the code. Each step may go to
     * {@code base}: a balancer spreads them over its instances. Absolute Locations name the public URL; they are
     * sent to {@code base} too, so that a test can pin a sign-in to one instance.
     */
    public SignIn signIn(String base, String clientId, String username, String password) {
        String verifier = randomToken();
        String state = randomToken();
        String authorize = base + OpsTenant.USERS_REALM + "/oauth2/authorize?" + OpsHttp.form(fields("client_id", clientId,
                "response_type", "code", "redirect_uri", OpsTenant.REDIRECT_URI, "scope", OpsTenant.DELEGATED_SCOPE + " openid",
                "state", state, "code_challenge", challenge(verifier), "code_challenge_method", "S256"));
        Jar jar = new Jar();
        Reply page = get(jar, authorize);
        if (page.status() != 200) {
            return new SignIn(Optional.empty(), verifier, "authorize", page, jar);
        }
        Matcher action = FORM.matcher(page.body());
        if (!action.find()) {
            return new SignIn(Optional.empty(), verifier, "login page", page, jar);
        }
        Map<String, String> form = fields();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        form.put("username", username);
        form.put("password", password);
        Map<String, String> headers = new java.util.HashMap<>(jar.header());
        Reply login = http.postForm(relocate(base, unescape(action.group(1))), form, headers);
        jar.absorb(login);
        if (login.status() != 303) {
            return new SignIn(Optional.empty(), verifier, "login", login, jar);
        }
        Reply back = get(jar, relocate(base, login.location()));
        if (back.status() != 302 || !back.location().startsWith(OpsTenant.REDIRECT_URI + "?")) {
            return new SignIn(Optional.empty(), verifier, "authorize (signed in)", back, jar);
        }
        Map<String, String> params = OpsHttp.query(back.location());
        if (!state.equals(params.get("state")) || params.get("code") == null) {
            return new SignIn(Optional.empty(), verifier, "redirect", back, jar);
        }
        return new SignIn(Optional.of(params.get("code")), verifier, "done", back, jar);
    }

    /** Only the login form's POST, e.g. with a wrong password: its reply (401, 429 or the 303 of a success). */
    public Reply loginAttempt(String base, String username, String password) {
        String authorize = base + OpsTenant.USERS_REALM + "/oauth2/authorize?" + OpsHttp.form(fields("client_id", OpsTenant.SPA,
                "response_type", "code", "redirect_uri", OpsTenant.REDIRECT_URI, "scope", OpsTenant.DELEGATED_SCOPE,
                "state", "s", "code_challenge", challenge(randomToken()), "code_challenge_method", "S256"));
        Jar jar = new Jar();
        Reply page = get(jar, authorize);
        Matcher action = FORM.matcher(page.body());
        if (page.status() != 200 || !action.find()) {
            return page;
        }
        Map<String, String> form = fields();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            form.put(hidden.group(1), unescape(hidden.group(2)));
        }
        form.put("username", username);
        form.put("password", password);
        return http.postForm(relocate(base, unescape(action.group(1))), form, jar.header());
    }

    /** Redeems a code: a public client with its verifier only, the web client with its secret too. */
    public Reply redeem(String base, String clientId, SignIn signIn) {
        Map<String, String> form = fields("grant_type", "authorization_code", "code", signIn.code().orElseThrow(),
                "redirect_uri", OpsTenant.REDIRECT_URI, "code_verifier", signIn.verifier());
        return http.postForm(base + OpsTenant.tokenPath(), withClient(form, clientId), Map.of());
    }

    public Reply refresh(String base, String clientId, String refreshToken) {
        return http.postForm(base + OpsTenant.tokenPath(),
                withClient(fields("grant_type", "refresh_token", "refresh_token", refreshToken), clientId), Map.of());
    }

    public Reply revoke(String base, String token) {
        return http.postForm(base + OpsTenant.USERS_REALM + "/oauth2/revoke", fields("token", token),
                Map.of("Authorization", OpsHttp.basic(OpsTenant.WEB, OpsTenant.WEB_SECRET)));
    }

    public Reply introspect(String base, String token) {
        return http.postForm(base + OpsTenant.USERS_REALM + "/oauth2/introspect", fields("token", token),
                Map.of("Authorization", OpsHttp.basic(OpsTenant.WEB, OpsTenant.WEB_SECRET)));
    }

    public Reply jwks(String base) {
        return http.get(base + OpsTenant.USERS_REALM + "/oauth2/jwks");
    }

    /** A Client Credentials token of the ops-admin automation client, for the admin API. */
    public String adminToken(String base) {
        Reply reply = clientCredentials(base, OpsTenant.ADMIN, OpsTenant.ADMIN_SECRET, "portcullis.admin.api");
        return reply.json("access_token").orElseThrow(() -> new IllegalStateException("no admin token: " + reply.describe()));
    }

    /** An admin API call under /admin/api/v1/tenants/OPS. */
    public Reply admin(String base, String token, String method, String path, String contentType, String json,
                       Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", "Bearer " + token);
        return http.send(method, base + "/admin/api/v1/tenants/" + OpsTenant.ID + path, contentType,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), all);
    }

    /** PATCH with the representation's current ETag, as the API asks. */
    public Reply adminPatch(String base, String token, String path, String mergePatch) {
        Reply current = admin(base, token, "GET", path, null, null, Map.of());
        String etag = current.header("etag").orElseThrow(() -> new IllegalStateException("no ETag: " + current.describe()));
        return admin(base, token, "PATCH", path, "application/merge-patch+json", mergePatch, Map.of("If-Match", etag));
    }

    private Map<String, String> withClient(Map<String, String> form, String clientId) {
        form.put("client_id", clientId);
        if (clientId.equals(OpsTenant.WEB)) {
            form.put("client_secret", OpsTenant.WEB_SECRET);
        }
        return form;
    }

    private Reply get(Jar jar, String url) {
        Reply reply = http.get(url, jar.header());
        jar.absorb(reply);
        return reply;
    }

    /** An absolute Location on the public URL, or a path, sent to {@code base} instead. */
    static String relocate(String base, String location) {
        if (location.startsWith("/")) {
            return base + location;
        }
        int path = location.indexOf('/', location.indexOf("://") + 3);
        return path < 0 ? base : base + location.substring(path);
    }

    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&#x3D;", "=").replace("&#61;", "=").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">");
    }
}
