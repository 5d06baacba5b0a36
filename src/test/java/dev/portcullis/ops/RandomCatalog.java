package dev.portcullis.ops;

import dev.portcullis.ops.OpsHttp.Reply;
import dev.portcullis.ops.Probe.Answer;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portcullis.ops.OpsTenant.REDIRECT_URI;
import static dev.portcullis.ops.OpsTenant.USERS_REALM;

/**
 * Valid requests to every endpoint of the ops tenant, each with the status it must get, and the state they need
 * (access and refresh tokens, registered clients, an admin token), kept from earlier answers. Steps that only set
 * a request up (the login page before a login) are sent and checked like any other request.
 */
final class RandomCatalog {

    /** Sends a probe, checks it, returns the answer. */
    interface Sender {
        Reply send(Probe probe);
    }

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final String TOKEN = USERS_REALM + "/oauth2/token";

    private final ConcurrentLinkedDeque<String> accessTokens = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<String> userAccessTokens = new ConcurrentLinkedDeque<>();
    /** Refresh tokens of public clients (rotated at each use): client id and token, each taken by one request. */
    private final ConcurrentLinkedDeque<String[]> refreshTokens = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<String[]> registered = new ConcurrentLinkedDeque<>();
    private volatile String adminToken = "";

    /** Endpoint names and their weights. */
    static final Map<String, Integer> WEIGHTS = Map.ofEntries(Map.entry("token:client_credentials", 8),
            Map.entry("token:on_behalf_of", 6), Map.entry("token:refresh_token", 4), Map.entry("token:authorization_code", 1),
            Map.entry("token:token_exchange", 2), Map.entry("authorize", 6), Map.entry("login", 1), Map.entry("consent", 1),
            Map.entry("introspect", 5), Map.entry("revoke", 3), Map.entry("userinfo", 4), Map.entry("metadata", 4),
            Map.entry("jwks", 5), Map.entry("register", 2), Map.entry("par", 3), Map.entry("admin", 8),
            Map.entry("anonymous", 4), Map.entry("sdk-metadata", 3), Map.entry("logout", 1), Map.entry("preflight", 2),
            Map.entry("console", 1), Map.entry("unknown", 1));

    private final Map<String, Function<Random, Probe>> builders = Map.ofEntries(
            Map.entry("token:client_credentials", this::clientCredentials), Map.entry("token:on_behalf_of", this::onBehalfOf),
            Map.entry("token:refresh_token", this::refresh), Map.entry("token:token_exchange", this::tokenExchange),
            Map.entry("authorize", this::authorize), Map.entry("introspect", this::introspect), Map.entry("revoke", this::revoke),
            Map.entry("userinfo", this::userinfo), Map.entry("metadata", this::metadata), Map.entry("jwks", this::jwks),
            Map.entry("register", this::register), Map.entry("par", this::par), Map.entry("admin", this::admin),
            Map.entry("anonymous", this::anonymous), Map.entry("sdk-metadata", this::sdkMetadata), Map.entry("logout", this::logout),
            Map.entry("preflight", this::preflight), Map.entry("console", this::console), Map.entry("unknown", this::unknown));

    private final Sender sender;

    RandomCatalog(Sender sender) {
        this.sender = sender;
    }

    /** A valid request to {@code endpoint}, after any set-up it needs (sent through the sender). */
    Probe valid(String endpoint, Random random) {
        return switch (endpoint) {
            case "login" -> login(random, OpsTenant.SPA);
            case "consent" -> consent(random);
            case "token:authorization_code" -> codeRedemption(random);
            default -> builders.get(endpoint).apply(random);
        };
    }

    /** Keeps what a valid answer handed out, for later requests. */
    void absorb(Probe probe, Reply reply) {
        if (!probe.valid() || reply.status() != 200) {
            return;
        }
        // the web client's own tokens (it introspects and revokes them), and signed-in users' (for userinfo)
        if (probe.endpoint.equals("token:client_credentials") || probe.endpoint.equals("token:on_behalf_of")) {
            reply.json("access_token").ifPresent(token -> keep(accessTokens, token));
        } else if (probe.endpoint.equals("token:authorization_code") || probe.endpoint.equals("token:refresh_token")) {
            reply.json("access_token").ifPresent(token -> keep(userAccessTokens, token));
        }
        String client = probe.form.stream().filter(pair -> pair[0].equals("client_id")).map(pair -> pair[1]).findFirst().orElse("");
        reply.json("refresh_token").ifPresent(token -> keep(refreshTokens, new String[] {client, token}));
    }

    private static <T> void keep(ConcurrentLinkedDeque<T> pool, T value) {
        pool.addFirst(value);
        while (pool.size() > 200) {
            pool.pollLast();
        }
    }

    private static <T> T any(ConcurrentLinkedDeque<T> pool, T fallback) {
        T value = pool.peekFirst();
        return value == null ? fallback : value;
    }

    private Probe clientCredentials(Random random) {
        Probe probe = new Probe("token:client_credentials", "POST", TOKEN, Answer.OAUTH_JSON, 200)
                .form("grant_type", "client_credentials", "scope", OpsTenant.APP_SCOPE);
        if (random.nextBoolean()) {
            return probe.header("Authorization", OpsHttp.basic(OpsTenant.WEB, OpsTenant.WEB_SECRET));
        }
        return probe.form("client_id", OpsTenant.WEB, "client_secret", OpsTenant.WEB_SECRET);
    }

    private Probe onBehalfOf(Random random) {
        return new Probe("token:on_behalf_of", "POST", TOKEN, Answer.OAUTH_JSON, 200).form("grant_type", "password",
                "client_id", OpsTenant.WEB, "client_secret", OpsTenant.WEB_SECRET, "scope", OpsTenant.OBO_SCOPE,
                "subject_username", OpsTenant.user(1 + random.nextInt(OpsTenant.USERS)));
    }

    private Probe refresh(Random random) {
        String[] token = refreshTokens.pollFirst();
        if (token == null) {
            return codeRedemption(random);
        }
        return new Probe("token:refresh_token", "POST", TOKEN, Answer.OAUTH_JSON, 200).form("grant_type", "refresh_token",
                "refresh_token", token[1], "client_id", token[0]);
    }

    /** A well-formed exchange of a token no registered identity provider issued: refused as invalid_grant, never worse. */
    private Probe tokenExchange(Random random) {
        String foreign = any(accessTokens, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
        return new Probe("token:token_exchange", "POST", TOKEN, Answer.OAUTH_JSON, 400).form(
                "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "client_id", OpsTenant.WEB,
                "client_secret", OpsTenant.WEB_SECRET, "subject_token", foreign,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "scope", OpsTenant.OBO_SCOPE);
    }

    private Probe authorize(Random random) {
        String verifier = Flows.randomToken();
        return new Probe("authorize", "GET", USERS_REALM + "/oauth2/authorize", Answer.HTML, 200).query("client_id", OpsTenant.SPA,
                "response_type", "code", "redirect_uri", REDIRECT_URI, "scope", OpsTenant.DELEGATED_SCOPE + " openid",
                "state", Flows.randomToken(), "nonce", Flows.randomToken(), "code_challenge", Flows.challenge(verifier),
                "code_challenge_method", "S256");
    }

    /** The login form's POST, with the page's hidden fields and cookies; its 303 is followed to the code and the token. */
    private Probe login(Random random, String clientId) {
        int user = 1 + random.nextInt(OpsTenant.USERS);
        String verifier = Flows.randomToken();
        Probe page = new Probe("authorize", "GET", USERS_REALM + "/oauth2/authorize", Answer.HTML, 200).query("client_id", clientId,
                "response_type", "code", "redirect_uri", REDIRECT_URI, "scope", OpsTenant.DELEGATED_SCOPE + " openid",
                "state", "st", "code_challenge", Flows.challenge(verifier), "code_challenge_method", "S256");
        Reply reply = sender.send(page);
        Probe login = new Probe("login", "POST", USERS_REALM + "/login", Answer.HTML, 303);
        Matcher action = FORM.matcher(reply.body());
        if (action.find()) {
            login.path = Flows.relocate("", action.group(1).replace("&amp;", "&"));
        }
        Matcher hidden = HIDDEN.matcher(reply.body());
        while (hidden.find()) {
            login.form(hidden.group(1), hidden.group(2).replace("&amp;", "&").replace("&#x3D;", "="));
        }
        login.form("username", OpsTenant.user(user), "password", OpsTenant.password(user));
        reply.header("set-cookie").ifPresent(cookie -> login.header("Cookie", cookies(cookie)));
        login.verifier = verifier;
        login.client = clientId;
        return login;
    }

    /** A login about to be mutated signs in as the account kept for failures, whose throttling spoils no valid login. */
    static void asThrottledUser(Probe login) {
        for (String[] pair : login.form) {
            if (pair[0].equals("username")) {
                pair[1] = OpsTenant.THROTTLED_USER;
            } else if (pair[0].equals("password")) {
                pair[1] = OpsTenant.THROTTLED_PASSWORD;
            }
        }
    }

    /** After a valid login: authorize again with the session (302 with the code), then redeem it (200). */
    void afterLogin(Probe login, Reply reply) {
        String clientId = login.client;
        if (!login.valid() || reply.status() != 303) {
            return;
        }
        String cookie = login.headers.getOrDefault("Cookie", "");
        Probe back = new Probe("authorize", "GET", Flows.relocate("", reply.location()), Answer.HTML, 302, 200);
        back.header("Cookie", merge(cookie, reply.header("set-cookie").orElse("")));
        Reply code = sender.send(back);
        if (code.status() == 200 && code.body().contains("name=\"decision\"")) {
            Probe allow = new Probe("consent", "POST", USERS_REALM + "/consent", Answer.HTML, 303);
            Matcher hidden = HIDDEN.matcher(code.body());
            while (hidden.find()) {
                allow.form(hidden.group(1), hidden.group(2).replace("&amp;", "&").replace("&#x3D;", "="));
            }
            allow.form("decision", "allow");
            allow.header("Cookie", back.headers.get("Cookie"));
            Reply allowed = sender.send(allow);
            Probe again = new Probe("authorize", "GET", Flows.relocate("", allowed.location()), Answer.HTML, 302);
            again.header("Cookie", merge(back.headers.get("Cookie"), allowed.header("set-cookie").orElse("")));
            code = allowed.status() == 303 ? sender.send(again) : allowed;
        }
        String value = OpsHttp.query(code.location()).get("code");
        if (value != null) {
            Probe redeem = new Probe("token:authorization_code", "POST", TOKEN, Answer.OAUTH_JSON, 200).form("grant_type",
                    "authorization_code", "code", value, "redirect_uri", REDIRECT_URI, "code_verifier", login.verifier,
                    "client_id", clientId);
            absorb(redeem, sender.send(redeem));
        }
    }

    private Probe consent(Random random) {
        return login(random, "ops-consent");
    }

    /** A code comes from a sign-in: the login, whose answer {@link #afterLogin} follows to the redemption. */
    private Probe codeRedemption(Random random) {
        return login(random, OpsTenant.SPA);
    }

    private Probe introspect(Random random) {
        String token = random.nextInt(4) == 0 ? "not-a-token-" + random.nextInt() : any(accessTokens, "none");
        return new Probe("introspect", "POST", USERS_REALM + "/oauth2/introspect", Answer.OAUTH_JSON, 200).form("token", token)
                .header("Authorization", OpsHttp.basic(OpsTenant.WEB, OpsTenant.WEB_SECRET));
    }

    private Probe revoke(Random random) {
        String token = random.nextBoolean() ? accessTokens.pollLast() : "unknown-" + random.nextInt();
        return new Probe("revoke", "POST", USERS_REALM + "/oauth2/revoke", Answer.OAUTH_JSON, 200)
                .form("token", token == null ? "none" : token).header("Authorization", OpsHttp.basic(OpsTenant.WEB, OpsTenant.WEB_SECRET));
    }

    private Probe userinfo(Random random) {
        String token = userAccessTokens.peekFirst();
        if (token == null) {
            return new Probe("userinfo", "GET", USERS_REALM + "/oauth2/userinfo", Answer.OAUTH_JSON, 401);
        }
        return new Probe("userinfo", random.nextBoolean() ? "GET" : "POST", USERS_REALM + "/oauth2/userinfo", Answer.OAUTH_JSON, 200)
                .header("Authorization", "Bearer " + token);
    }

    private Probe metadata(Random random) {
        String[] paths = {USERS_REALM + "/.well-known/openid-configuration", USERS_REALM + "/.well-known/oauth-authorization-server",
                "/.well-known/oauth-authorization-server" + USERS_REALM, OpsTenant.CUSTOMERS_REALM + "/.well-known/openid-configuration"};
        return new Probe("metadata", "GET", paths[random.nextInt(paths.length)], Answer.OAUTH_JSON, 200);
    }

    private Probe jwks(Random random) {
        return new Probe("jwks", "GET", (random.nextBoolean() ? USERS_REALM : OpsTenant.CUSTOMERS_REALM) + "/oauth2/jwks",
                Answer.OAUTH_JSON, 200);
    }

    private Probe register(Random random) {
        String[] client = registered.pollFirst();
        if (client != null && random.nextBoolean()) {
            boolean delete = random.nextBoolean();
            Probe probe = new Probe("register", delete ? "DELETE" : "GET", USERS_REALM + "/oauth2/register/" + client[0],
                    Answer.OAUTH_JSON, delete ? 204 : 200).header("Authorization", "Bearer " + client[1]);
            probe.registration = client;
            return probe;
        }
        if (client != null) {
            registered.addLast(client);
        }
        // one address sends all of a run's registrations: past registration_requests_per_minute_per_address (20), 429
        // with Retry-After is the right answer to a valid one
        return new Probe("register", "POST", USERS_REALM + "/oauth2/register", Answer.OAUTH_JSON, 201, 429)
                .json("{\"client_name\":\"Random " + random.nextInt(1000) + "\",\"redirect_uris\":[\"http://127.0.0.1:8400/cb\"],"
                        + "\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                        + "\"scope\":\"ops.read\"}").header("Authorization", "Bearer " + OpsTenant.INITIAL_ACCESS_TOKEN);
    }

    /** Keeps a registered client's id and registration access token. */
    void registeredClient(Probe probe, Reply reply) {
        // a client read by a valid request goes back to the pool; one a mutated request touched may be gone (its method
        // may have become DELETE), so it is dropped
        if (probe.registration != null && probe.valid() && probe.method.equals("GET") && reply.status() == 200) {
            registered.addLast(probe.registration);
        }
        if (probe.valid() && probe.method.equals("POST") && reply.status() == 201) {
            String id = reply.json("client_id").orElse(null);
            String token = reply.json("registration_access_token").orElse(null);
            if (id != null && token != null) {
                registered.addLast(new String[] {id, token});
                while (registered.size() > 50) {
                    registered.pollFirst();
                }
            }
        }
    }

    private Probe par(Random random) {
        return new Probe("par", "POST", USERS_REALM + "/oauth2/par", Answer.OAUTH_JSON, 201).form("client_id", OpsTenant.WEB,
                "client_secret", OpsTenant.WEB_SECRET, "response_type", "code", "redirect_uri", REDIRECT_URI,
                "scope", OpsTenant.DELEGATED_SCOPE, "state", Flows.randomToken(),
                "code_challenge", Flows.challenge(Flows.randomToken()), "code_challenge_method", "S256");
    }

    private Probe admin(Random random) {
        String token = adminToken;
        if (token.isEmpty() || random.nextInt(500) == 0) {
            Reply reply = sender.send(new Probe("token:client_credentials", "POST", TOKEN, Answer.OAUTH_JSON, 200).form(
                    "grant_type", "client_credentials", "scope", "portcullis.admin.api", "client_id", OpsTenant.ADMIN,
                    "client_secret", OpsTenant.ADMIN_SECRET));
            adminToken = token = reply.json("access_token").orElse("");
        }
        String base = "/admin/api/v1/tenants/" + OpsTenant.ID;
        List<String> reads = List.of("/clients", "/clients/" + OpsTenant.WEB, "/users?limit=5", "/users/u01", "/customers",
                "/scopes", "/keys", "/audit-events?limit=3", "/identity-providers", "", "/clients/" + OpsTenant.WEB + "/metadata",
                "/clients/" + OpsTenant.WEB + "/secrets");
        Probe probe;
        if (random.nextInt(10) == 0) {
            probe = new Probe("admin", "POST", base + "/clients", Answer.PROBLEM_JSON, 201).json("{\"name\":\"Random client "
                    + random.nextInt(1_000_000) + "\",\"platform\":\"spa\",\"scopes\":[\"ops.read\"],"
                    + "\"redirect_uris\":[\"http://127.0.0.1:9999/cb\"]}");
        } else {
            probe = new Probe("admin", "GET", base + reads.get(random.nextInt(reads.size())), Answer.PROBLEM_JSON, 200);
        }
        return probe.header("Authorization", "Bearer " + token);
    }

    private Probe anonymous(Random random) {
        return new Probe("anonymous", "POST", "/core/authmgr/v3/oauth2/v2.0/anonymous/token", Answer.OAUTH_JSON, 200)
                .query("user_type", "customer", "domain_hint", OpsTenant.ID)
                .form("grant_type", "client_credentials", "client_id", "clientId", "client_secret", "clientSecret",
                        "scope", OpsTenant.DELEGATED_SCOPE);
    }

    private Probe sdkMetadata(Random random) {
        return new Probe("sdk-metadata", "GET", random.nextInt(3) == 0 ? "/core/authmgr/v3/metadata/deployment"
                : "/core/authmgr/v3/metadata/tenant/" + OpsTenant.ID, Answer.OAUTH_JSON, 200);
    }

    private Probe logout(Random random) {
        return new Probe("logout", "GET", USERS_REALM + "/logout", Answer.HTML, 200, 302, 303);
    }

    private Probe preflight(Random random) {
        String[] paths = {TOKEN, USERS_REALM + "/oauth2/revoke", USERS_REALM + "/oauth2/userinfo", USERS_REALM + "/oauth2/par",
                "/core/authmgr/v3/oauth2/v2.0/anonymous/token"};
        return new Probe("preflight", "OPTIONS", paths[random.nextInt(paths.length)], Answer.ANY, 200, 204)
                .header("Origin", "http://127.0.0.1:9999").header("Access-Control-Request-Method", "POST");
    }

    private Probe console(Random random) {
        // /admin sends the browser to /admin/, the console page
        return random.nextBoolean() ? new Probe("console", "GET", "/admin", Answer.ANY, 200, 301, 302)
                : new Probe("console", "GET", "/assets/portcullis.css", Answer.ANY, 200);
    }

    private Probe unknown(Random random) {
        return new Probe("unknown", "GET", "/no/such/endpoint/" + random.nextInt(100), Answer.OAUTH_JSON, 404);
    }

    static String cookies(String setCookie) {
        StringBuilder header = new StringBuilder();
        for (String line : setCookie.split("\n")) {
            String pair = line.split(";", 2)[0];
            if (pair.indexOf('=') > 0) {
                header.append(header.length() == 0 ? "" : "; ").append(pair);
            }
        }
        return header.toString();
    }

    /** The cookies sent plus those set, a set one replacing a sent one of the same name (as a browser does). */
    private static String merge(String cookie, String setCookie) {
        Map<String, String> jar = new java.util.LinkedHashMap<>();
        for (String pair : (cookie + "; " + cookies(setCookie)).split(";\\s*")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                jar.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        }
        StringBuilder header = new StringBuilder();
        jar.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
        return header.toString();
    }
}
