import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounded closed-loop load generator for the PKCE sign-in scenario of bench/run.
 *
 * <p>N workers each repeat complete sign-ins until the deadline: a fresh PKCE verifier and a fresh,
 * empty cookie jar per sign-in (so every sign-in creates a new user session and verifies the
 * password), then
 * <ol>
 *   <li>GET the authorize URL, expect 200 with the login form;</li>
 *   <li>POST the login form with the cookies the server set, expect a redirect
 *       (Portcullis: 303 back to authorize; Keycloak: 302 straight to the redirect URI);</li>
 *   <li>Portcullis only: GET the authorize URL again, expect 302 to the redirect URI with a code
 *       (consent is skipped for the client);</li>
 *   <li>POST the token endpoint (authorization_code + code_verifier), expect 200 with an access_token.</li>
 * </ol>
 * Any other status, a missing form field, code or token, or an I/O error counts as one error and
 * ends that sign-in. Requests go through one {@link HttpClient} per worker (HTTP/1.1, keep-alive);
 * cookies are handled by hand per sign-in, never shared between sign-ins.
 *
 * <p>Warm-up sign-ins (the first WARMUP seconds) are run but not recorded; the measured window is
 * the next DURATION seconds, and a sign-in counts when it completes (or fails) inside it, as wrk
 * counts requests. New sign-ins stop at warm-up + duration; sign-ins still in flight then are not
 * counted and get the request timeout (10 s) at most, so the process always ends by itself.
 * The lines BENCH_MEASURE_START and BENCH_MEASURE_END are printed on stdout when the window opens
 * and closes (bench/run takes its CPU and RSS readings on them).
 *
 * <p>Prints one line {@code BENCH_JSON {...}} with the fields of bench/lua/request.lua's line, one
 * "request" per sign-in: requests = sign-ins completed or failed in the window, non2xx = failed
 * sign-ins, latency = the whole sign-in (all steps, successful ones). Error details go to stderr.
 *
 * <pre>
 * java bench/pkce/PkceLoad.java --flow portcullis|keycloak --url http://127.0.0.1:18080
 *      [--tenant BENCH] [--realm bench] [--client-id bench-spa] [--redirect-uri http://127.0.0.1:9999/callback]
 *      [--scope bench.read] [--user benchuser] [--password ...] [--workers 32] [--warmup 5] [--duration 15]
 *      [--label text] [--mode signin|refresh] [--user-per-worker true] [--once]
 * </pre>
 * {@code --user-per-worker true}: worker 0 signs in as USER, worker n as USER + n (the tenant must have them).
 * {@code --once} performs a single sign-in, prints each step's status and exits 0 on success.
 *
 * <p>{@code --mode refresh}: each worker signs in once (its first sign-in, in the warm-up), then refreshes in a
 * chain, each refresh with the refresh token the previous one returned (rotation); one "request" is one refresh
 * ({@code grant_type=refresh_token}, expect 200 with an access_token). A failed refresh counts as an error and the
 * worker signs in again.
 */
public final class PkceLoad {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern FORM_KC = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]*)\"");
    private static final Pattern FORM_PC = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");
    private static final Pattern RETURN_TO = Pattern.compile("name=\"return_to\" value=\"([^\"]*)\"");

    private final Map<String, String> opt;
    private final boolean keycloak;
    private final URI base;
    private final String authorizePath;
    private final String tokenPath;
    private final String redirectUri;
    private final String clientId;
    private final boolean refreshMode;
    private final boolean userPerWorker;
    private final SecureRandom random = new SecureRandom();

    private final LongAdder errors = new LongAdder();
    private final LongAdder ioErrors = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicLong errorsShown = new AtomicLong();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    private PkceLoad(Map<String, String> opt) {
        this.opt = opt;
        String flow = opt.getOrDefault("flow", "");
        if (!flow.equals("portcullis") && !flow.equals("keycloak")) {
            throw new IllegalArgumentException("--flow must be portcullis or keycloak");
        }
        keycloak = flow.equals("keycloak");
        String url = opt.get("url");
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (keycloak) {
            String realm = opt.getOrDefault("realm", "bench");
            authorizePath = "/realms/" + realm + "/protocol/openid-connect/auth";
            tokenPath = "/realms/" + realm + "/protocol/openid-connect/token";
        } else {
            String tenant = opt.getOrDefault("tenant", "BENCH");
            authorizePath = "/system/auth/" + tenant + "-U/oauth2/authorize";
            tokenPath = "/system/auth/" + tenant + "-U/oauth2/token";
        }
        redirectUri = opt.getOrDefault("redirect-uri", "http://127.0.0.1:9999/callback");
        String mode = opt.getOrDefault("mode", "signin");
        if (!mode.equals("signin") && !mode.equals("refresh")) {
            throw new IllegalArgumentException("--mode must be signin or refresh");
        }
        refreshMode = mode.equals("refresh");
        userPerWorker = opt.containsKey("user-per-worker") && !opt.get("user-per-worker").equals("false");
        clientId = opt.getOrDefault("client-id", "bench-spa");
    }

    /** Signals a failed sign-in step; the message names the step and what was seen. */
    private static final class StepFailed extends Exception {
        final String kind;

        StepFailed(String kind, String detail) {
            super(kind + ": " + detail, null, false, false);
            this.kind = kind;
        }
    }

    /** Cookies of one sign-in: name -> value, sent to every request of that sign-in (one host, one path tree). */
    private static final class Jar {
        final Map<String, String> cookies = new HashMap<>();

        void absorb(HttpResponse<?> r) {
            for (String h : r.headers().allValues("set-cookie")) {
                int semi = h.indexOf(';');
                String pair = semi < 0 ? h : h.substring(0, semi);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                String lower = h.toLowerCase(Locale.ROOT);
                if (value.isEmpty() || lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
        }

        void apply(HttpRequest.Builder b) {
            if (!cookies.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, String> e : cookies.entrySet()) {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    sb.append(e.getKey()).append('=').append(e.getValue());
                }
                b.header("Cookie", sb.toString());
            }
        }
    }

    private static String form(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static String unescapeHtml(String s) {
        return s.replace("&amp;", "&").replace("&#x3D;", "=").replace("&#61;", "=").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">");
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private URI resolve(String location) {
        return base.resolve(location);
    }

    private HttpResponse<String> send(HttpClient http, Jar jar, HttpRequest.Builder b, boolean verbose, String step)
            throws StepFailed, InterruptedException {
        jar.apply(b);
        b.timeout(TIMEOUT);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            ioErrors.increment();
            throw new StepFailed(step + " I/O", e.toString());
        }
        bytes.add(r.body().length());
        jar.absorb(r);
        if (verbose) {
            System.err.println(step + " -> HTTP " + r.statusCode()
                    + r.headers().firstValue("location").map(l -> " Location: " + l).orElse(""));
        }
        return r;
    }

    private static void expect(HttpResponse<String> r, String step, int... statuses) throws StepFailed {
        for (int s : statuses) {
            if (r.statusCode() == s) {
                return;
            }
        }
        String body = r.body().replaceAll("\\s+", " ");
        throw new StepFailed(step + " HTTP " + r.statusCode(),
                "expected " + Arrays.toString(statuses) + "; " + body.substring(0, Math.min(300, body.length())));
    }

    private static String group(Pattern p, String text, String step, String what) throws StepFailed {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new StepFailed(step + " no " + what, "not found in the page");
        }
        return m.group(1);
    }

    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * One refresh: the refresh token for a new access token and (rotation) a new refresh token, which is
     * returned; the old one is spent on servers that rotate.
     */
    private String refresh(HttpClient http, String refreshToken, boolean verbose) throws StepFailed, InterruptedException {
        HttpResponse<String> r = send(http, new Jar(), HttpRequest.newBuilder(resolve(tokenPath))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "refresh_token", "client_id", clientId,
                        "refresh_token", refreshToken))), verbose, "refresh");
        expect(r, "refresh", 200);
        if (!r.body().contains("\"access_token\"")) {
            throw new StepFailed("refresh no access_token", r.body());
        }
        Matcher m = REFRESH_TOKEN.matcher(r.body());
        return m.find() ? m.group(1) : refreshToken;
    }

    /**
     * One complete sign-in with a fresh jar and verifier; throws StepFailed on any deviation. Returns the refresh
     * token of the token response (null if there is none).
     */
    private String signIn(HttpClient http, boolean verbose) throws StepFailed, InterruptedException {
        return signIn(http, verbose, 0);
    }

    /** As {@link #signIn(HttpClient, boolean)} for worker {@code worker}: with --user-per-worker, its own user. */
    private String signIn(HttpClient http, boolean verbose, int worker) throws StepFailed, InterruptedException {
        Jar jar = new Jar();
        byte[] v = new byte[32];
        random.nextBytes(v);
        String verifier = b64url(v);
        String challenge;
        try {
            challenge = b64url(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] st = new byte[12];
        random.nextBytes(st);
        String state = b64url(st);
        String query = form("client_id", clientId, "response_type", "code", "redirect_uri", redirectUri,
                "scope", opt.getOrDefault("scope", "bench.read"), "state", state,
                "code_challenge", challenge, "code_challenge_method", "S256");
        URI authorize = resolve(authorizePath + "?" + query);

        // 1. authorize without a session -> login page
        HttpResponse<String> r = send(http, jar, HttpRequest.newBuilder(authorize).GET(), verbose, "authorize");
        expect(r, "authorize", 200);
        String page = r.body();

        // 2. login form
        URI action;
        String body;
        String user = opt.getOrDefault("user", "benchuser");
        if (userPerWorker && worker > 0) {
            user = user + worker;   // benchuser, benchuser1, benchuser2, ...
        }
        String password = opt.getOrDefault("password", "bench-password-123");
        if (keycloak) {
            Matcher fm = FORM_KC.matcher(page);
            if (!fm.find()) {
                throw new StepFailed("authorize no kc-form-login", "not found in the page");
            }
            String formTag = fm.group();
            action = resolve(unescapeHtml(group(ACTION, formTag, "authorize", "form action")));
            body = form("username", user, "password", password, "credentialId", "");
        } else {
            action = resolve(unescapeHtml(group(FORM_PC, page, "authorize", "login form")));
            body = form("csrf", unescapeHtml(group(CSRF, page, "authorize", "csrf")),
                    "return_to", unescapeHtml(group(RETURN_TO, page, "authorize", "return_to")),
                    "username", user, "password", password);
        }
        r = send(http, jar, HttpRequest.newBuilder(action).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), verbose, "login");
        String location;
        if (keycloak) {
            expect(r, "login", 302);
            location = r.headers().firstValue("location").orElse("");
        } else {
            expect(r, "login", 303);
            URI back = resolve(r.headers().firstValue("location").orElse(""));
            // 3. authorize again with the signed-in session -> code (consent skipped)
            r = send(http, jar, HttpRequest.newBuilder(back).GET(), verbose, "authorize (signed in)");
            expect(r, "authorize (signed in)", 302);
            location = r.headers().firstValue("location").orElse("");
        }
        if (!location.startsWith(redirectUri + "?")) {
            throw new StepFailed("no redirect to client", "Location: " + location);
        }
        String code = null;
        String gotState = null;
        for (String p : location.substring(redirectUri.length() + 1).split("&")) {
            int eq = p.indexOf('=');
            String k = eq < 0 ? p : p.substring(0, eq);
            String val = eq < 0 ? "" : java.net.URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.equals("code")) {
                code = val;
            } else if (k.equals("state")) {
                gotState = val;
            }
        }
        if (code == null || !state.equals(gotState)) {
            throw new StepFailed("no code/state in redirect", "Location: " + location);
        }

        // 4. token exchange with the PKCE verifier (a public client: no secret, no cookies needed)
        r = send(http, new Jar(), HttpRequest.newBuilder(resolve(tokenPath))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form("grant_type", "authorization_code", "code", code,
                        "redirect_uri", redirectUri, "client_id", clientId, "code_verifier", verifier))), verbose, "token");
        expect(r, "token", 200);
        if (!r.body().contains("\"access_token\"")) {
            throw new StepFailed("token no access_token", r.body());
        }
        Matcher m = REFRESH_TOKEN.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    private void recordError(StepFailed e) {
        errors.increment();
        errorKinds.computeIfAbsent(e.kind, k -> new LongAdder()).increment();
        if (errorsShown.incrementAndGet() <= 5) {
            System.err.println("pkce-load: sign-in failed: " + e.getMessage());
        }
    }

    private static HttpClient newClient() {
        // No CookieHandler: cookies are managed per sign-in (Jar). Redirects are followed by hand.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private int once() throws InterruptedException {
        try {
            HttpClient http = newClient();
            String refreshToken = signIn(http, true);
            System.err.println("pkce-load: sign-in OK");
            if (refreshMode) {
                if (refreshToken == null) {
                    throw new StepFailed("token no refresh_token", "the token response has no refresh_token");
                }
                refresh(http, refresh(http, refreshToken, true), true);
                System.err.println("pkce-load: two chained refreshes OK");
            }
            return 0;
        } catch (StepFailed e) {
            System.err.println("pkce-load: sign-in FAILED: " + e.getMessage());
            return 1;
        }
    }

    /** Per-worker latency log (microseconds), grown as needed. */
    private static final class Latencies {
        long[] values = new long[4096];
        int count;

        void add(long us) {
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = us;
        }
    }

    private void run() throws InterruptedException {
        int workers = Integer.parseInt(opt.getOrDefault("workers", "32"));
        long warmupNs = (long) (Double.parseDouble(opt.getOrDefault("warmup", "5")) * 1e9);
        long durationNs = (long) (Double.parseDouble(opt.getOrDefault("duration", "15")) * 1e9);
        String label = opt.getOrDefault("label", "");
        long measureStart = System.nanoTime() + warmupNs;
        long end = measureStart + durationNs;

        Latencies[] latencies = new Latencies[workers];
        Thread[] threads = new Thread[workers];
        for (int w = 0; w < workers; w++) {
            Latencies lat = latencies[w] = new Latencies();
            int worker = w;
            threads[w] = new Thread(() -> {
                HttpClient http = newClient();
                long s;
                String refreshToken = null;
                while ((s = System.nanoTime()) < end) {
                    try {
                        if (refreshMode) {
                            // one sign-in per worker (warm-up), then a chain of refreshes, each one "request"
                            if (refreshToken == null) {
                                refreshToken = signIn(http, false, worker);
                                if (refreshToken == null) {
                                    throw new StepFailed("token no refresh_token", "the token response has no refresh_token");
                                }
                                continue;
                            }
                            try {
                                refreshToken = refresh(http, refreshToken, false);
                            } catch (StepFailed e) {
                                refreshToken = null;
                                throw e;
                            }
                        } else {
                            signIn(http, false, worker);
                        }
                        long f = System.nanoTime();
                        if (f >= measureStart && f < end) {
                            lat.add((f - s) / 1000);
                        }
                    } catch (StepFailed e) {
                        long f = System.nanoTime();
                        if (f >= measureStart && f < end) {
                            recordError(e);
                        } else if (f < measureStart && errorsShown.incrementAndGet() <= 5) {
                            System.err.println("pkce-load: warm-up sign-in failed: " + e.getMessage());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "pkce-worker-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
        // Markers on stdout let bench/run take its CPU and RSS readings exactly around the window.
        sleepUntil(measureStart);
        System.out.println("BENCH_MEASURE_START");
        System.out.flush();
        sleepUntil(end);
        System.out.println("BENCH_MEASURE_END");
        System.out.flush();
        // Bounded: in-flight sign-ins get the request timeout at most; they are not counted.
        long hardStop = end + TIMEOUT.toNanos() + 2_000_000_000L;
        for (Thread th : threads) {
            long left = hardStop - System.nanoTime();
            if (left > 0) {
                th.join(Math.max(1, left / 1_000_000));
            }
        }
        int total = 0;
        for (Latencies l : latencies) {
            total += l.count;
        }
        long[] all = new long[total];
        int pos = 0;
        for (Latencies l : latencies) {
            System.arraycopy(l.values, 0, all, pos, l.count);
            pos += l.count;
        }
        Arrays.sort(all);
        double mean = total == 0 ? 0 : Arrays.stream(all).average().orElse(0);
        long errs = errors.sum();
        long requests = total + errs;
        long durationUs = durationNs / 1000;
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, LongAdder> e : errorKinds.entrySet()) {
            kinds.append(kinds.length() == 0 ? "" : ",").append('"').append(e.getKey().replace("\"", "'"))
                    .append("\":").append(e.getValue().sum());
        }
        System.err.printf(Locale.ROOT, "pkce-load: %s %d sign-ins completed in %.1f s (%.1f/s), %d failed%n", label,
                total, durationUs / 1e6, total / (durationUs / 1e6), errs);
        System.out.printf(Locale.ROOT,
                "BENCH_JSON {\"label\":\"%s\",\"duration_us\":%d,\"requests\":%d,\"bytes\":%d,"
                        + "\"non2xx\":%d,\"connect_errors\":0,\"read_errors\":0,\"write_errors\":0,\"timeouts\":0,"
                        + "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"mean_us\":%.1f,"
                        + "\"loadgen\":\"PkceLoad.java\",\"unit\":\"%s\",\"workers\":%d,\"io_errors\":%d,"
                        + "\"error_kinds\":{%s}}%n",
                label.replace("\"", "'"), durationUs, requests, bytes.sum(), errs,
                pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 99.9), total == 0 ? 0 : all[total - 1], mean,
                refreshMode ? "refresh" : "sign-in", workers, ioErrors.sum(), kinds);
        System.out.flush();
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--once")) {
                once = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opt.put(a.substring(2), args[++i]);
            } else {
                System.err.println("pkce-load: unknown argument " + a);
                System.exit(2);
            }
        }
        PkceLoad load;
        try {
            load = new PkceLoad(opt);
        } catch (IllegalArgumentException e) {
            System.err.println("pkce-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (once) {
            System.exit(load.once());
        }
        load.run();
        System.exit(0);
    }
}
