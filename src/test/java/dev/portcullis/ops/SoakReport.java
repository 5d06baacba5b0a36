package dev.portcullis.ops;

import dev.portcullis.ops.Soak.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict from its samples: after the warm-up, the offered rate served in every window, no upward drift
 * of p99, resident memory growing less than 10%, no failed request, nothing lost, and the tables that expire within
 * the run flat over its last third.
 */
final class SoakReport {

    /** Tables whose rows all expire within the run (sessions after 5 minutes, refresh families after 10). */
    private static final List<String> BOUNDED = List.of("browser_sessions", "refresh_families", "refresh_tokens");

    private final List<Sample> all;
    private final List<Sample> steady;
    private final List<MixedLoad.Failure> failures;
    private final StateAudit.Outcome audit;
    private final double rate;
    private final double capacity;
    private final int workers;
    private final long requests;
    private final List<String> verdicts = new ArrayList<>();
    private boolean passed = true;

    SoakReport(List<Sample> samples, long warmUpSeconds, List<MixedLoad.Failure> failures, StateAudit.Outcome audit,
               double rate, double capacity, int workers, long requests) {
        this.all = List.copyOf(samples);
        this.steady = samples.stream().filter(s -> s.seconds() > warmUpSeconds).toList();
        this.failures = failures;
        this.audit = audit;
        this.rate = rate;
        this.capacity = capacity;
        this.workers = workers;
        this.requests = requests;
        judge();
    }

    boolean passed() {
        return passed;
    }

    private void judge() {
        if (steady.size() < 6) {
            verdict(false, "too short: " + steady.size() + " samples after the warm-up (at least 6)");
            return;
        }
        double minOps = min(steady, Sample::operationsPerSecond);
        verdict(minOps >= 0.9 * rate, String.format(Locale.ROOT, "throughput steady: every window served at least 90%% of "
                + "the offered %.0f operations/s (lowest %.0f); requests/s mean %.0f, min %.0f, max %.0f, coefficient of "
                + "variation %.1f%%", rate, minOps, mean(steady, Sample::requestsPerSecond), min(steady, Sample::requestsPerSecond),
                max(steady, Sample::requestsPerSecond), 100 * cv(steady, Sample::requestsPerSecond)));
        int quarter = Math.max(1, steady.size() / 4);
        double firstP99 = median(steady.subList(0, quarter), Sample::p99);
        double lastP99 = median(steady.subList(steady.size() - quarter, steady.size()), Sample::p99);
        verdict(lastP99 <= Math.max(1.25 * firstP99, firstP99 + 2), String.format(Locale.ROOT, "p99 steady: median of the "
                + "windows' p99 %.1f ms in the first quarter after warm-up, %.1f ms in the last (at most 1.25x or +2 ms); "
                + "p50 median %.1f ms; highest window p99 %.1f ms, p99.9 %.1f ms", firstP99, lastP99,
                median(steady, Sample::p50), max(steady, Sample::p99), max(steady, Sample::p999)));
        for (int instance = 0; instance < 2; instance++) {
            ToDoubleFunction<Sample> rss = instance == 0 ? Sample::rssMbA : Sample::rssMbB;
            int minute = Math.max(1, (int) Math.round(60 / Math.max(1, steady.get(1).seconds() - steady.get(0).seconds())));
            double after = mean(steady.subList(0, Math.min(minute, steady.size())), rss);
            double end = mean(steady.subList(Math.max(0, steady.size() - minute), steady.size()), rss);
            double growth = end / after - 1;
            verdict(growth < 0.10, String.format(Locale.ROOT, "resident memory of instance %s flat: %.0f MB the minute after "
                    + "warm-up, %.0f MB the last minute (%+.1f%%, under +10%%); peak %.0f MB", instance == 0 ? "a" : "b", after,
                    end, 100 * growth, max(all, rss)));
        }
        verdict(failures.isEmpty(), failures.isEmpty() ? "no failed request"
                : failures.size() + " failed requests, first: " + failures.get(0).op() + " " + failures.get(0).what());
        verdict(audit.lost() + audit.halfWritten() == 0, "nothing lost: " + audit.summary());
        Sample twoThirds = all.get(all.size() * 2 / 3);
        Sample last = all.get(all.size() - 1);
        for (String table : Soak.TABLES) {
            long at = twoThirds.rows().get(table);
            long end = last.rows().get(table);
            long peak = all.stream().mapToLong(s -> s.rows().get(table)).max().orElse(0);
            String figures = String.format(Locale.ROOT, "%s: %,d rows at two thirds of the run, %,d at the end, peak %,d",
                    table, at, end, peak);
            if (BOUNDED.contains(table)) {
                verdict(end <= Math.max(1.10 * at, at + 50), figures + " (flat over the last third: housekeeping keeps up)");
            } else if (table.equals("authorization_codes")) {
                verdict(true, figures + " (redeemed codes are kept a day after they expire, so that a replay still revokes "
                        + "what they issued: this one grows through a 20-minute run by design, bounded by a day of sign-ins)");
            } else {
                verdict(true, figures);
            }
        }
    }

    String markdown() {
        StringBuilder text = new StringBuilder("# Soak\n\n");
        text.append(String.format(Locale.ROOT, "Two instances on PostgreSQL behind HAProxy, %d client workers, %.0f operations/s "
                        + "offered%s, %.0f minutes (%,d requests), sampled every %.0f s; warm-up %.0f s left out of the verdicts.%n%n",
                workers, rate, capacity > 0 ? String.format(Locale.ROOT, " (%.0f%% of the %.0f measured closed-loop)", 100 * rate / capacity,
                        capacity) : "", all.get(all.size() - 1).seconds() / 60, requests,
                all.size() > 1 ? all.get(1).seconds() - all.get(0).seconds() : 0, steady.isEmpty() ? 0 : steady.get(0).seconds()));
        text.append("| Criterion | Met | Figures |\n|---|---|---|\n");
        for (String verdict : verdicts) {
            text.append(verdict).append('\n');
        }
        text.append("\nResult: ").append(passed ? "**passed**" : "**FAILED**").append('\n');
        return text.toString();
    }

    private void verdict(boolean met, String figures) {
        passed &= met;
        int colon = figures.indexOf(':');
        String name = colon > 0 ? figures.substring(0, colon) : figures;
        String rest = colon > 0 ? figures.substring(colon + 1).trim() : "";
        verdicts.add("| " + name + " | " + (met ? "yes" : "**no**") + " | " + rest + " |");
    }

    private static double mean(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    private static double min(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).min().orElse(Double.NaN);
    }

    private static double max(List<Sample> samples, ToDoubleFunction<Sample> value) {
        return samples.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double[] sorted = samples.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return Soak.percentile(sorted, 0.5);
    }

    private static double cv(List<Sample> samples, ToDoubleFunction<Sample> value) {
        double mean = mean(samples, value);
        double variance = samples.stream().mapToDouble(value).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        return Math.sqrt(variance) / mean;
    }
}
