package dev.portcullis.testing;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one {@code @FuzzTest(byte[])} method through the JUnit Platform in this JVM, for ops/fuzz: with JAZZER_FUZZ
 * set, Jazzer fuzzes it, and libFuzzer's progress goes straight to this process's stderr rather than through a
 * Maven fork. Exit status: 0 passed, 1 failed (a finding), 2 no such test.
 * <pre>java -cp ... dev.portcullis.testing.FuzzMain dev.portcullis.protocol.FormParametersFuzzTest formBody</pre>
 */
public final class FuzzMain {

    private FuzzMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FuzzMain TEST_CLASS METHOD");
            System.exit(2);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(args[0], args[1], "byte[]"))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter err = new PrintWriter(System.err, true);
        summary.printTo(err);
        summary.printFailuresTo(err, 40);
        if (summary.getTestsFoundCount() == 0) {
            System.exit(2);
        }
        System.exit(summary.getTotalFailureCount() > 0 ? 1 : 0);
    }
}
