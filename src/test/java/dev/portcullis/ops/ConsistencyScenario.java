package dev.portcullis.ops;

import dev.portcullis.ops.Flows.SignIn;
import dev.portcullis.ops.OpsHttp.Reply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one instance does, the other honours: a code issued at A is redeemed at B; a refresh token rotated at A and
 * replayed at B revokes its family; a revocation, a disabled client or user, a new or removed secret and a key
 * rotation made at A hold at B within {@code bound}; failed sign-ins at A and B count together.
 * Each change is timed from A's answer to the first answer of B that honours it (B polled every 10 ms).
 */
public final class ConsistencyScenario {

    /** One check: passed or not, what was seen, and the propagation delay where there is one (else -1). */
    public record Check(String name, boolean passed, String detail, long delayNanos) {
    }

    private final Flows flows;
    private final String a;
    private final String b;
    private final Duration bound;
    private final Duration patience;
    private final List<Check> checks = new ArrayList<>();

    /**
     * @param bound    the documented delay a change may take to reach the other instance (fails the check above it)
     * @param patience how long B is polled at most before the check fails for good
     */
    public ConsistencyScenario(Flows flows, String instanceA, String instanceB, Duration bound, Duration patience) {
        this.flows = flows;
        this.a = instanceA;
        this.b = instanceB;
        this.bound = bound;
        this.patience = patience;
    }

    public List<Check> run() throws InterruptedException {
        codeIssuedAtARedeemedAtB();
        refreshReplayedAtBRevokesTheFamily();
        String admin = flows.adminToken(a);
        revocationAtAHoldsAtB();
        disabledClientAtAHoldsAtB(admin);
        disabledUserAtAHoldsAtB(admin);
        newAndRemovedSecretAtAHoldAtB(admin);
        keyRotatedAtAPublishedAtB(admin);
        failedSignInsCountAcrossInstances();
        return List.copyOf(checks);
    }

    public ScenarioResult result(String name, long requests) {
        ScenarioResult.Builder row = ScenarioResult.named(name).requests(requests);
        long slowest = -1;
        long failed = 0;
        for (Check check : checks) {
            slowest = Math.max(slowest, check.delayNanos());
            if (!check.passed()) {
                failed++;
                row.fail(check.name() + ": " + check.detail());
            } else {
                row.note(check.name() + ": " + check.detail());
            }
        }
        return row.errors(failed).recovery(slowest < 0 ? "-" : "max " + ScenarioResult.millis(slowest) + " (bound "
                + bound.toMillis() + " ms)").build();
    }

    private void codeIssuedAtARedeemedAtB() {
        SignIn signIn = flows.signIn(a, OpsTenant.SPA, OpsTenant.user(1), OpsTenant.password(1));
        if (!signIn.ok()) {
            checks.add(new Check("code issued at A, redeemed at B", false, "sign-in at A failed at " + signIn.step() + ": "
                    + signIn.reply().describe(), -1));
            return;
        }
        Reply redeemed = flows.redeem(b, OpsTenant.SPA, signIn);
        boolean ok = redeemed.status() == 200 && redeemed.json("refresh_token").isPresent();
        Reply again = flows.redeem(a, OpsTenant.SPA, signIn);
        boolean once = again.status() == 400 && again.json("error").orElse("").equals("invalid_grant");
        checks.add(new Check("code issued at A, redeemed at B", ok && once, ok && once
                ? "redeemed at B; a second redemption at A refused (invalid_grant)"
                : "redemption at B: " + redeemed.describe() + "; again at A: " + again.describe(), -1));
    }

    private void refreshReplayedAtBRevokesTheFamily() {
        String name = "refresh rotated at A, replayed at B";
        SignIn signIn = flows.signIn(b, OpsTenant.SPA, OpsTenant.user(2), OpsTenant.password(2));
        Reply tokens = signIn.ok() ? flows.redeem(b, OpsTenant.SPA, signIn) : signIn.reply();
        String first = tokens.json("refresh_token").orElse(null);
        if (first == null) {
            checks.add(new Check(name, false, "no refresh token: " + tokens.describe(), -1));
            return;
        }
        Reply rotated = flows.refresh(a, OpsTenant.SPA, first);
        String second = rotated.json("refresh_token").orElse(null);
        Reply replay = flows.refresh(b, OpsTenant.SPA, first);
        Reply successor = second == null ? rotated : flows.refresh(a, OpsTenant.SPA, second);
        boolean ok = second != null && !second.equals(first) && replay.status() == 400 && successor.status() == 400
                && successor.body().contains("revoked");
        checks.add(new Check(name, ok, ok ? "replay at B refused, and the successor issued at A then refused: family revoked"
                : "rotation at A: " + rotated.describe() + "; replay at B: " + replay.describe() + "; successor: "
                + successor.describe(), -1));
    }

    private void revocationAtAHoldsAtB() throws InterruptedException {
        String name = "access token revoked at A";
        String token = flows.clientCredentials(a).json("access_token").orElse("");
        boolean activeAtB = flows.introspect(b, token).jsonBoolean("active").orElse(false);
        Reply revoked = flows.revoke(a, token);
        long delay = await(() -> flows.introspect(b, token), r -> r.status() == 200 && !r.jsonBoolean("active").orElse(true));
        timed(name, activeAtB && revoked.status() == 200, delay, "introspection at B says inactive",
                "active at B before: " + activeAtB + "; revocation at A: " + revoked.describe());

        String refreshName = "refresh token revoked at A";
        SignIn signIn = flows.signIn(a, OpsTenant.WEB, OpsTenant.user(3), OpsTenant.password(3));
        String refresh = signIn.ok() ? flows.redeem(a, OpsTenant.WEB, signIn).json("refresh_token").orElse("") : "";
        Reply revokedRefresh = flows.revoke(a, refresh);
        long refreshDelay = await(() -> flows.refresh(b, OpsTenant.WEB, refresh), r -> r.status() == 400);
        timed(refreshName, !refresh.isEmpty() && revokedRefresh.status() == 200, refreshDelay, "refresh at B refused",
                "sign-in: " + signIn.reply().describe() + "; revocation: " + revokedRefresh.describe());
    }

    private void disabledClientAtAHoldsAtB(String admin) throws InterruptedException {
        String name = "client disabled at A";
        Supplier<Reply> tokenAtB = () -> flows.clientCredentials(b, OpsTenant.VICTIM_CLIENT, OpsTenant.VICTIM_CLIENT_SECRET,
                OpsTenant.APP_SCOPE);
        boolean before = tokenAtB.get().status() == 200;
        Reply patched = flows.adminPatch(a, admin, "/clients/" + OpsTenant.VICTIM_CLIENT, "{\"enabled\": false}");
        long delay = await(tokenAtB, r -> r.status() == 401);
        timed(name, before && patched.status() == 200, delay, "B refuses its Client Credentials (401 invalid_client)",
                "token at B before: " + before + "; PATCH at A: " + patched.describe());
    }

    private void disabledUserAtAHoldsAtB(String admin) throws InterruptedException {
        String name = "user disabled at A";
        SignIn signIn = flows.signIn(a, OpsTenant.WEB, OpsTenant.VICTIM_USER, OpsTenant.VICTIM_PASSWORD);
        String refresh = signIn.ok() ? flows.redeem(a, OpsTenant.WEB, signIn).json("refresh_token").orElse("") : "";
        boolean before = !refresh.isEmpty() && flows.onBehalfOf(b, OpsTenant.VICTIM_USER).status() == 200;
        Reply patched = flows.adminPatch(a, admin, "/users/" + OpsTenant.VICTIM_USER_ID, "{\"enabled\": false}");
        long delay = await(() -> flows.onBehalfOf(b, OpsTenant.VICTIM_USER), r -> r.status() == 400);
        Reply refreshAtB = flows.refresh(b, OpsTenant.WEB, refresh);
        timed(name, before && patched.status() == 200 && refreshAtB.status() == 400, delay,
                "B refuses On-Behalf-Of for the user, and the user's refresh token",
                "before: " + before + "; PATCH at A: " + patched.describe() + "; refresh at B after: " + refreshAtB.describe());
    }

    private void newAndRemovedSecretAtAHoldAtB(String admin) throws InterruptedException {
        String path = "/clients/" + OpsTenant.ROTATING_CLIENT + "/secrets";
        Reply listed = flows.admin(a, admin, "GET", path, null, null, Map.of());
        Matcher primary = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"name\"\\s*:\\s*\"primary\"").matcher(listed.body());
        Reply created = flows.admin(a, admin, "POST", path, "application/json", "{\"name\": \"secondary\"}", Map.of());
        String value = created.json("value").orElse("");
        long delay = await(() -> flows.clientCredentials(b, OpsTenant.ROTATING_CLIENT, value, OpsTenant.APP_SCOPE),
                r -> r.status() == 200);
        timed("secret added at A", created.status() == 201 && !value.isEmpty(), delay, "B accepts the new secret",
                "POST at A: " + created.describe());
        boolean found = primary.find();
        Reply removed = found ? flows.admin(a, admin, "DELETE", path + "/" + primary.group(1), null, null, Map.of()) : listed;
        long removedDelay = await(() -> flows.clientCredentials(b, OpsTenant.ROTATING_CLIENT, OpsTenant.ROTATING_CLIENT_SECRET,
                OpsTenant.APP_SCOPE), r -> r.status() == 401);
        timed("secret removed at A", found && removed.status() == 204, removedDelay, "B refuses the removed secret",
                "list: " + listed.describe() + "; DELETE at A: " + removed.describe());
    }

    private void keyRotatedAtAPublishedAtB(String admin) throws InterruptedException {
        Reply rotated = flows.admin(a, admin, "POST", "/keys/rotate", null, null, Map.of());
        String kid = rotated.json("kid").orElse("\u0000");
        long delay = await(() -> flows.jwks(b), r -> r.status() == 200 && r.body().contains("\"" + kid + "\""));
        timed("signing key rotated at A", rotated.status() == 201, delay, "B's JWKS publishes the new key",
                "rotation at A: " + rotated.describe());
    }

    /** Wrong passwords for one account, alternately at A and B: the free failures are shared, not per instance. */
    private void failedSignInsCountAcrossInstances() {
        String name = "sign-in throttling across instances";
        int failures = 0;
        Reply refused = null;
        String refusedAt = "";
        for (int attempt = 0; attempt < 12 && refused == null; attempt++) {
            String at = attempt % 2 == 0 ? a : b;
            Reply reply = flows.loginAttempt(at, OpsTenant.THROTTLED_USER, "wrong-password-" + attempt);
            if (reply.status() == 401) {
                failures++;
            } else if (reply.status() == 429) {
                refused = reply;
                refusedAt = at.equals(a) ? "A" : "B";
            } else {
                checks.add(new Check(name, false, "attempt " + attempt + ": " + reply.describe(), -1));
                return;
            }
        }
        Reply other = flows.loginAttempt(refusedAt.equals("A") ? b : a, OpsTenant.THROTTLED_USER, "wrong-password-x");
        // 5 free failures per account and address (the default), counted in the database: 10 would mean per instance
        boolean ok = refused != null && failures <= 6 && other.status() == 429 && other.header("retry-after").isPresent();
        checks.add(new Check(name, ok, ok ? failures + " failures alternating A and B, then 429 with Retry-After at "
                + refusedAt + " and at the other instance" : failures + " failures; refusal: "
                + (refused == null ? "none" : refused.describe()) + "; other instance: " + other.describe(), -1));
    }

    private void timed(String name, boolean setUp, long delay, String honoured, String detail) {
        if (!setUp) {
            checks.add(new Check(name, false, "set-up failed: " + detail, -1));
        } else if (delay < 0) {
            checks.add(new Check(name, false, "not honoured at B within " + patience.toSeconds() + " s (" + honoured + ")", -1));
        } else {
            boolean inBound = delay <= bound.toNanos();
            checks.add(new Check(name, inBound, honoured + " after " + ScenarioResult.millis(delay)
                    + (inBound ? "" : ", beyond the " + bound.toMillis() + " ms bound"), delay));
        }
    }

    /** Polls until the reply satisfies {@code honoured}; the time from the call, or -1 after the patience ran out. */
    private long await(Supplier<Reply> request, Predicate<Reply> honoured) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < patience.toNanos()) {
            if (honoured.test(request.get())) {
                return System.nanoTime() - start;
            }
            Thread.sleep(10);
        }
        return -1;
    }
}
