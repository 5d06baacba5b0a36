package dev.portcullis.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the scenarios' table: requests sent, errors (failed requests or failed checks), lost items (must be 0)
 * and the recovery or propagation time, plus notes that explain the figures. {@code passed} is the scenario's own
 * verdict (zero errors where zero is required, nothing lost, delays within the documented bound).
 */
public record ScenarioResult(String name, long requests, long errors, long lost, String recovery, boolean passed,
                             List<String> notes) {

    public static Builder named(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private long requests;
        private long errors;
        private long lost;
        private String recovery = "-";
        private boolean passed = true;
        private final List<String> notes = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder requests(long value) {
            requests = value;
            return this;
        }

        public Builder errors(long value) {
            errors = value;
            return this;
        }

        public Builder lost(long value) {
            lost = value;
            return this;
        }

        public Builder recovery(String value) {
            recovery = value;
            return this;
        }

        public Builder fail(String why) {
            passed = false;
            notes.add("FAILED: " + why);
            return this;
        }

        public Builder note(String text) {
            notes.add(text);
            return this;
        }

        public ScenarioResult build() {
            return new ScenarioResult(name, requests, errors, lost, recovery, passed, List.copyOf(notes));
        }
    }

    public static String millis(long nanos) {
        return nanos < 0 ? "never" : String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    public static String seconds(long nanos) {
        return nanos < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** The table, with the notes under it. */
    public static String table(List<ScenarioResult> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "| %-44s | %9s | %6s | %4s | %-26s | %-6s |%n", "scenario", "requests", "errors",
                "lost", "recovery / propagation", "result"));
        out.append("|").append("-".repeat(46)).append("|").append("-".repeat(10)).append(":|").append("-".repeat(7))
                .append(":|").append("-".repeat(5)).append(":|").append("-".repeat(28)).append("|").append("-".repeat(8)).append("|\n");
        for (ScenarioResult r : results) {
            out.append(String.format(Locale.ROOT, "| %-44s | %,9d | %,6d | %4d | %-26s | %-6s |%n", r.name(), r.requests(),
                    r.errors(), r.lost(), r.recovery(), r.passed() ? "pass" : "FAIL"));
        }
        for (ScenarioResult r : results) {
            if (!r.notes().isEmpty()) {
                out.append("\n").append(r.name()).append(":\n");
                r.notes().forEach(note -> out.append("  - ").append(note).append("\n"));
            }
        }
        return out.toString();
    }
}
