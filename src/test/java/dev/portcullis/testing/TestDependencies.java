package dev.portcullis.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from outside the JVM (PostgreSQL, Chromium, a script's npm packages) is
 * missing. Run alone from an IDE it is skipped, saying why; run by {@code run-tests} (and so in CI), which installs
 * all of it, it fails: a test that quietly skips there would pass a build that never ran it.
 */
public final class TestDependencies {

    /** Set by run-tests: every test dependency was installed, so a missing one is a failure. */
    static final String REQUIRE_ALL = "portcullis.tests.requireAllDependencies";

    private TestDependencies() {
    }

    /** Skips or fails the calling test with {@code reason}; never returns. */
    public static void missing(String reason) {
        System.out.println(reason);
        if (Boolean.getBoolean(REQUIRE_ALL)) {
            throw new AssertionError(reason + " (run-tests installed the test dependencies, so this is a failure, not a skip)");
        }
        Assumptions.abort(reason);
    }
}
