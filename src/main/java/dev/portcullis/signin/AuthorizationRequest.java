package dev.portcullis.signin;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.client.ClientLookup;
import dev.portcullis.client.Platform;
import dev.portcullis.grant.Pkce;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.grant.ScopePolicy;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.token.ProofKey;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A validated {@code GET {realm}/oauth2/authorize} request. Unknown parameters (eGain's own clients
 * send forceLogin and domain_hint) are ignored; repeated ones are refused (RFC 6749 section 3.1).
 *
 * The OpenID Connect parameters {@code max_age}, {@code login_hint} and {@code id_token_hint} are
 * read for every request; they only shape when the login page is shown and what it holds.
 *
 * {@code dpop_jkt} (RFC 9449 section 10) binds the code to a DPoP key: only a token request with a proof of
 * that key can redeem it.
 *
 * @param maxAge seconds since the user last entered a password after which they must enter it again
 * @param query the request's raw query string, which the login and consent forms carry back; for a pushed
 *              request only its client_id and request_uri, so the pushed parameters never travel in the browser
 * @param resources the resources (RFC 8707) the sign-in's tokens may be bound to; empty: the api_url
 * @param pushed the pushed request (RFC 9126) these parameters came from, if they were pushed
 */
public record AuthorizationRequest(Realm realm, ClientApplication client, String redirectUri, ScopeSet scope,
                                   Optional<String> state, Optional<String> codeChallenge, Optional<String> nonce,
                                   Set<String> prompt, OptionalLong maxAge, Optional<String> loginHint,
                                   Optional<String> idTokenHint, String query, List<String> resources,
                                   Optional<PushedRequests.Pushed> pushed, Optional<ProofKey> dpopKey) {

    /** Parameters that describe the sign-in to come, and are spent once the user has signed in (see {@link #returnPath}). */
    private static final Set<String> SPENT_BY_LOGIN = Set.of("max_age", "id_token_hint");

    private static final Set<String> KNOWN_PROMPTS = Set.of("none", "login", "consent");

    /**
     * Validates authorization parameters: a query string of the authorize endpoint, or what a client pushes (the
     * pushed authorization request endpoint validates with this too, so both accept exactly the same requests).
     */
    public static AuthorizationRequest parse(Realm realm, String rawQuery, ClientDirectory clients, ResourceIndicators indicators) {
        String query = rawQuery == null ? "" : rawQuery;
        FormParameters params = parameters(query);
        String clientId = params.get("client_id").orElseThrow(() ->
                AuthorizationError.page("The sign-in link has no client_id."));
        ClientLookup lookup = clients.lookup(realm.tenant().id(), clientId);
        ClientApplication client = lookup.client().filter(ClientApplication::enabled)
                .orElseThrow(() -> AuthorizationError.page(lookup.problem().map(problem -> "The application cannot sign you in: "
                        + problem + ".").orElse("The application '" + clientId + "' is not registered in this tenant, or is disabled.")));
        String redirectUri = params.get("redirect_uri").orElseThrow(() ->
                AuthorizationError.page("The sign-in link has no redirect_uri."));
        if (!client.acceptsRedirectUri(redirectUri)) {
            throw AuthorizationError.page("The redirect_uri '" + redirectUri + "' is not registered for " + client.name()
                    + (client.platform() == Platform.NATIVE
                    ? ". Redirect URIs must match a registered one exactly; only a loopback address (127.0.0.1 or [::1]) may use another port."
                    : ". Redirect URIs must match a registered one exactly."));
        }

        Optional<String> state = params.get("state");
        String responseType = params.get("response_type").orElseThrow(() -> fail(redirectUri, state, "invalid_request",
                "missing required parameter 'response_type'"));
        if (!responseType.equals("code")) {
            throw fail(redirectUri, state, "unsupported_response_type", "response_type must be code");
        }
        ScopeSet scope;
        try {
            scope = ScopeSet.parse(params.get("scope").orElse(""));
            ScopePolicy.check(realm.tenant(), client, scope, ScopeKind.DELEGATED, "sign-in (authorization code)");
        } catch (OAuthException e) {
            throw fail(redirectUri, state, e.error().code(), e.description());
        }
        List<String> resources;
        try {
            resources = indicators.authorized(realm.tenant(), params.all(FormParameters.RESOURCE));
        } catch (OAuthException e) {
            throw fail(redirectUri, state, e.error().code(), e.description());
        }
        Optional<String> challenge = params.get("code_challenge");
        Optional<String> method = params.get("code_challenge_method");
        if (method.isPresent() && !method.get().equals("S256")) {
            throw fail(redirectUri, state, "invalid_request", "code_challenge_method must be S256; '" + method.get() + "' is not supported");
        }
        if (challenge.isPresent()) {
            if (method.isEmpty()) {
                throw fail(redirectUri, state, "invalid_request", "code_challenge_method is required and must be S256");
            }
            if (!Pkce.isValidChallenge(challenge.get())) {
                throw fail(redirectUri, state, "invalid_request", "code_challenge must be 43 base64url characters (BASE64URL(SHA256(code_verifier)))");
            }
        } else if (method.isPresent()) {
            throw fail(redirectUri, state, "invalid_request", "code_challenge_method was sent without a code_challenge");
        } else if (client.mustUsePkce()) {
            throw fail(redirectUri, state, "invalid_request", "code_challenge is required: this client must use PKCE (S256)");
        }
        Set<String> prompt = params.get("prompt")
                .map(p -> Arrays.stream(p.split(" ")).filter(KNOWN_PROMPTS::contains).collect(Collectors.toCollection(LinkedHashSet::new)))
                .orElseGet(LinkedHashSet::new);
        if (prompt.contains("none") && prompt.size() > 1) {
            throw fail(redirectUri, state, "invalid_request", "prompt=none cannot be combined with other prompt values");
        }
        OptionalLong maxAge = OptionalLong.empty();
        if (params.get("max_age").isPresent()) {
            String value = params.get("max_age").get();
            if (!value.matches("[0-9]{1,10}")) {
                throw fail(redirectUri, state, "invalid_request", "max_age must be a whole number of seconds");
            }
            maxAge = OptionalLong.of(Long.parseLong(value));
        }
        Optional<String> loginHint = params.get("login_hint").map(String::strip).filter(hint -> !hint.isEmpty());
        Optional<String> dpopJkt = params.get("dpop_jkt");
        if (dpopJkt.isPresent() && !ProofKey.isThumbprint(dpopJkt.get())) {
            throw fail(redirectUri, state, "invalid_request", "dpop_jkt must be the 43-character base64url SHA-256 JWK thumbprint "
                    + "(RFC 7638) of the client's DPoP key");
        }
        return new AuthorizationRequest(realm, client, redirectUri, scope, state, challenge, params.get("nonce"),
                Set.copyOf(prompt), maxAge, loginHint, params.get("id_token_hint"), query, resources, Optional.empty(), dpopJkt.map(ProofKey::new));
    }

    /** The parameters of a query string, decoded as strictly as a form; a malformed one is an error page. */
    static FormParameters parameters(String query) {
        try {
            return FormParameters.parse(query.getBytes(StandardCharsets.US_ASCII));
        } catch (OAuthException e) {
            throw AuthorizationError.page("The sign-in link is malformed: " + e.description());
        }
    }

    /** This request as the pushed one the browser now holds {@code pushed.handle()} for. */
    AuthorizationRequest pushedAs(PushedRequests.Pushed pushed) {
        String carried = "client_id=" + URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8)
                + "&request_uri=" + URLEncoder.encode(pushed.handle(), StandardCharsets.UTF_8);
        return new AuthorizationRequest(realm, client, redirectUri, scope, state, codeChallenge, nonce, prompt, maxAge, loginHint,
                idTokenHint, carried, resources, Optional.of(pushed), dpopKey);
    }

    /** Whether the user signed in for this pushed request, which serves its prompt=login, max_age and id_token_hint. */
    boolean signedInForPushed() {
        return pushed.map(PushedRequests.Pushed::signedIn).orElse(false);
    }

    private static AuthorizationError fail(String redirectUri, Optional<String> state, String code, String description) {
        return AuthorizationError.redirect(redirectUri, state, code, description);
    }

    /**
     * The authorize URL to come back to, with the given prompt values dropped so a completed step is
     * not asked for again. After "login", max_age and id_token_hint are dropped too: the user has just
     * entered a password (max_age=0 would otherwise ask forever) and chose whom to sign in as.
     */
    public String returnPath(String... promptsDone) {
        if (pushed.isPresent()) {
            // the pushed parameters stay on the server, which records the sign-in itself (signedInForPushed)
            return realm.basePath() + "/oauth2/authorize?" + query;
        }
        Set<String> remaining = new LinkedHashSet<>(prompt);
        remaining.removeAll(Set.of(promptsDone));
        boolean loggedIn = Arrays.asList(promptsDone).contains("login");
        StringBuilder rebuilt = new StringBuilder();
        for (String pair : query.split("&")) {
            String name = pair.split("=", 2)[0];
            if (pair.isEmpty() || name.equals("prompt") || loggedIn && SPENT_BY_LOGIN.contains(name)) {
                continue;
            }
            rebuilt.append(rebuilt.length() == 0 ? "" : "&").append(pair);
        }
        if (!remaining.isEmpty()) {
            rebuilt.append("&prompt=").append(String.join("%20", remaining));
        }
        return realm.basePath() + "/oauth2/authorize?" + rebuilt;
    }
}
